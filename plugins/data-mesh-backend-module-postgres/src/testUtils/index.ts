/**
 * Test helpers for packages that run the PostgreSQL provider in Jest.
 *
 * @packageDocumentation
 */

export { openNativePglite } from './openNativePglite';
export { lockWarehouseServer } from './lockWarehouseServer';
