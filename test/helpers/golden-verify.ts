/**
 * A golden case's `verify.json`: how the e2e suite proves the case's migration on the real engine
 * (test/e2e/goldens.test.ts). Either `imageMap` (each base image the case names, mapped to a test
 * image scripts/test-images.sh builds) with the `verdict` verify must give; or `provenBy`: the e2e
 * file that already runs the case through verify (with its mutants and both builders); or
 * `unverified`: why the case cannot be built here. `legacy` picks how verify gets the legacy image:
 * `run` (the default: the case's script in the sandbox) or `replay` (restage's analysis re-enacted,
 * for a pipeline the sandbox cannot run, such as one that runs Compose).
 */
import fs from 'node:fs';
import path from 'node:path';
import { MIGRATE_FIXTURES } from './fixtures.js';

export interface CaseVerify {
  readonly imageMap?: Record<string, string>;
  readonly verdict?: 'equivalent' | 'different';
  /** Extra verify flags (`--run-timeout 5` for an image whose command serves until stopped). */
  readonly args?: readonly string[];
  readonly legacy?: 'run' | 'replay';
  readonly provenBy?: string;
  readonly unverified?: string;
}

/** The case's verify.json, or null when it has none. */
export function caseVerify(name: string): CaseVerify | null {
  const file = path.join(MIGRATE_FIXTURES, name, 'verify.json');
  if (!fs.existsSync(file)) return null;
  return JSON.parse(fs.readFileSync(file, 'utf8')) as CaseVerify;
}
