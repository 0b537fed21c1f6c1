import { createExtensionPoint } from '@backstage/backend-plugin-api';
import { PipelineEngine } from './PipelineEngine';

/** @public */
export interface PipelineEnginesExtensionPoint {
  addEngine(...engines: PipelineEngine[]): void;
}

/**
 * Backend modules for the `data-mesh` plugin add pipeline engines here (the built-in PostgreSQL
 * one runs SQL steps in the warehouse).
 * @public
 */
export const pipelineEnginesExtensionPoint =
  createExtensionPoint<PipelineEnginesExtensionPoint>({
    id: 'data-mesh.pipeline-engines',
  });
