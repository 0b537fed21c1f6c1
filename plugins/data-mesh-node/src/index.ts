/**
 * Extension points and contracts for Backstage Data Mesh backend modules: data platform
 * providers (shaped like the Witboost tech adapter) and an HTTP client for tech adapters.
 *
 * @packageDocumentation
 */

export * from './providers/DataPlatformProvider';
export * from './providers/extensionPoint';
export * from './techAdapter/TechAdapterClient';
export * from './access/agreementPermissionRules';
export * from './pipelines/PipelineEngine';
export * from './pipelines/extensionPoint';
export * from './quality/QualityEngine';
export * from './quality/extensionPoint';
