/**
 * JSON Schema validators for the tests of what restage prints: restage's own published schema
 * (schema/restage-result.schema.json) and the SARIF 2.1.0 schema (draft-07), vendored in
 * test/fixtures/sarif/ (see its README.md), so no test fetches anything.
 */
import Ajv from 'ajv';
import fs from 'node:fs';
import path from 'node:path';
import { ROOT } from './fixtures.js';

export const RESULT_SCHEMA = path.join(ROOT, 'schema', 'restage-result.schema.json');
export const SARIF_SCHEMA = path.join(ROOT, 'test', 'fixtures', 'sarif', 'sarif-schema-2.1.0.json');

export type Validate = (data: unknown) => string[];

function validator(schema: object, ref?: string): Validate {
  const ajv = new Ajv({ allErrors: true });
  ajv.addSchema(schema, 'root');
  const validate = ajv.getSchema(ref ? `root#/definitions/${ref}` : 'root');
  if (!validate) throw new Error(`no schema at ${ref ?? 'root'}`);
  return (data) =>
    validate(data)
      ? []
      : (validate.errors ?? []).map((e) => `${e.dataPath || '/'} ${e.message ?? ''} ${JSON.stringify(e.params)}`);
}

const read = (file: string) => JSON.parse(fs.readFileSync(file, 'utf8')) as object;

/** The published schema, whole or one of its definitions (`migrateResult`, `scanResult`, `verifyResult`…). */
export function resultValidator(definition?: string): Validate {
  return validator(read(RESULT_SCHEMA), definition);
}

export function sarifValidator(): Validate {
  return validator(read(SARIF_SCHEMA));
}
