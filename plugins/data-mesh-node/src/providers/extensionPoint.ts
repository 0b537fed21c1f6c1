import { createExtensionPoint } from '@backstage/backend-plugin-api';
import { DataPlatformProvider } from './DataPlatformProvider';

/** @public */
export interface DataPlatformProvidersExtensionPoint {
  addProvider(...providers: DataPlatformProvider[]): void;
}

/**
 * Backend modules for the `data-mesh` plugin add data platform providers here (the built-in
 * PostgreSQL one, HTTP tech adapters, your own).
 * @public
 */
export const dataPlatformProvidersExtensionPoint =
  createExtensionPoint<DataPlatformProvidersExtensionPoint>({
    id: 'data-mesh.providers',
  });
