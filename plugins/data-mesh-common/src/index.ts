/**
 * Types, JSON Schemas, validation and ODPS / ODCS conversion for Backstage Data Mesh, shared by
 * the frontend and backend packages.
 *
 * @packageDocumentation
 */

export * from './constants';
export * from './entity/DataProductEntity';
export * from './entity/refs';
export * from './validation/ValidationResult';
export * from './validation/validateDataProduct';
export * from './odcs/OdcsContract';
export * from './odcs/validateOdcsContract';
export * from './odcs/describe';
export * from './odps/odpsSchemas';
export * from './odps/toOdps';
export * from './permissions/permissions';
export * from './api/deployments';
export * from './api/validation';
export * from './api/agreements';
export * from './api/lineage';
export * from './api/pipelines';
export * from './lineage/naming';
export * from './lineage/openlineage';
export * from './lineage/validateOpenLineageEvent';
export * from './quality/QualityCheck';
export * from './quality/compileQualityChecks';
export * from './api/quality';
export * from './api/discovery';
