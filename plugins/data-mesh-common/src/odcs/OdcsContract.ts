import { ODCS_LOGICAL_TYPES } from '../constants';

// The parts of an ODCS v3.1.0 data contract this suite reads. The official JSON Schema
// (schemas/vendor) is the full truth; these types are a typed view of the same document.

/** @public */
export type OdcsLogicalType = (typeof ODCS_LOGICAL_TYPES)[number];

/** The threshold operators of an ODCS quality rule. @public */
export interface OdcsQualityOperators {
  mustBe?: unknown;
  mustNotBe?: unknown;
  mustBeGreaterThan?: number;
  mustBeGreaterOrEqualTo?: number;
  mustBeLessThan?: number;
  mustBeLessOrEqualTo?: number;
  mustBeBetween?: [number, number];
  mustNotBeBetween?: [number, number];
}

/** @public */
export interface OdcsQualityRule extends OdcsQualityOperators {
  id?: string;
  name?: string;
  description?: string;
  type?: 'text' | 'library' | 'sql' | 'custom';
  metric?:
    | 'nullValues'
    | 'missingValues'
    | 'invalidValues'
    | 'duplicateValues'
    | 'rowCount';
  /** Deprecated alias of `metric` in ODCS 3.1. */
  rule?: string;
  arguments?: Record<string, unknown>;
  query?: string;
  engine?: string;
  implementation?: string | Record<string, unknown>;
  dimension?: string;
  method?: string;
  severity?: string;
  businessImpact?: string;
  unit?: string;
  schedule?: string;
  scheduler?: string;
  tags?: string[];
}

/** @public */
export interface OdcsSchemaProperty {
  id?: string;
  name: string;
  logicalType?: OdcsLogicalType;
  logicalTypeOptions?: Record<string, unknown>;
  physicalType?: string;
  physicalName?: string;
  businessName?: string;
  description?: string;
  required?: boolean;
  unique?: boolean;
  primaryKey?: boolean;
  primaryKeyPosition?: number;
  partitioned?: boolean;
  classification?: string;
  criticalDataElement?: boolean;
  examples?: unknown[];
  quality?: OdcsQualityRule[];
  properties?: OdcsSchemaProperty[];
  items?: OdcsSchemaProperty;
  tags?: string[];
}

/** @public */
export interface OdcsSchemaObject {
  id?: string;
  name: string;
  physicalName?: string;
  physicalType?: string;
  businessName?: string;
  description?: string;
  dataGranularityDescription?: string;
  properties?: OdcsSchemaProperty[];
  quality?: OdcsQualityRule[];
  tags?: string[];
}

/** @public */
export interface OdcsServer {
  id?: string;
  server: string;
  type: string;
  description?: string;
  environment?: string;
  host?: string;
  port?: number;
  database?: string;
  schema?: string;
  [key: string]: unknown;
}

/** @public */
export interface OdcsSlaProperty {
  id?: string;
  property: string;
  value: unknown;
  valueExt?: unknown;
  unit?: string;
  element?: string;
  driver?: string;
  description?: string;
  schedule?: string;
  scheduler?: string;
}

/** @public */
export interface OdcsRole {
  id?: string;
  role: string;
  description?: string;
  access?: string;
  firstLevelApprovers?: string;
  secondLevelApprovers?: string;
}

/** @public */
export interface OdcsContract {
  apiVersion: string;
  kind: 'DataContract';
  id: string;
  version: string;
  status: string;
  name?: string;
  tenant?: string;
  domain?: string;
  tags?: string[];
  description?: { purpose?: string; usage?: string; limitations?: string };
  servers?: OdcsServer[];
  schema?: OdcsSchemaObject[];
  slaProperties?: OdcsSlaProperty[];
  roles?: OdcsRole[];
  team?: {
    name?: string;
    members?: Array<{ username: string; role?: string }>;
  };
  support?: Array<{ channel: string; url?: string; tool?: string }>;
  [key: string]: unknown;
}
