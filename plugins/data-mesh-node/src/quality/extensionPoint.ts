import { createExtensionPoint } from '@backstage/backend-plugin-api';
import { QualityEngine } from './QualityEngine';

/** @public */
export interface QualityEnginesExtensionPoint {
  addEngine(...engines: QualityEngine[]): void;
}

/**
 * Backend modules for the `data-mesh` plugin add quality engines here (the built-in PostgreSQL
 * one measures a table's checks in one scan).
 * @public
 */
export const qualityEnginesExtensionPoint =
  createExtensionPoint<QualityEnginesExtensionPoint>({
    id: 'data-mesh.quality-engines',
  });
