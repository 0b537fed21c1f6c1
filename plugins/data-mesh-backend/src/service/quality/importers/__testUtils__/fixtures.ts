// Test helpers of the importers: fixtures and a one-line view of a result that shows every field.
import fs from 'fs';
import path from 'path';
import YAML from 'yaml';
import { ImportedQualityResult } from '@backstage-data-mesh/plugin-data-mesh-common';

export const FIXTURES = path.join(__dirname, '..', '__fixtures__');

/** A fixture, parsed: `.json` as JSON, `.yaml` as YAML (dbt-ol's YAML fixtures have comments). */
export function fixture(file: string): any {
  const text = fs.readFileSync(path.join(FIXTURES, file), 'utf8');
  return file.endsWith('.yaml') ? YAML.parse(text) : JSON.parse(text);
}

const KEYS: Array<keyof ImportedQualityResult> = [
  'name',
  'status',
  'ruleId',
  'metric',
  'table',
  'column',
  'value',
  'expected',
  'severity',
  'message',
  'measuredAt',
];

/**
 * `name status ruleId=.. metric=.. value=3 ...`: every field of the result, in a fixed order, so
 * that a list of rows pins a result down exactly (each field has one type, so strings are shown
 * bare). Throws on a field it does not know.
 */
export function row(result: ImportedQualityResult): string {
  const unknown = Object.keys(result).filter(
    k => !KEYS.includes(k as keyof ImportedQualityResult),
  );
  if (unknown.length > 0) throw new Error(`unexpected fields ${unknown}`);
  return KEYS.filter(k => result[k] !== undefined)
    .map(k =>
      k === 'name' || k === 'status'
        ? String(result[k])
        : `${k}=${
            typeof result[k] === 'string'
              ? result[k]
              : JSON.stringify(result[k])
          }`,
    )
    .join(' ');
}
