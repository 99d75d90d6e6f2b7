/**
 * Gating for end-to-end tests: they need a real engine and the test base images
 * (`bash scripts/engine.sh start && bash scripts/test-images.sh`). Without them each test is
 * skipped with the reason in its title — unless RESTAGE_E2E=1 (CI), where each one fails.
 */
import test, { type ExecutionContext } from 'ava';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { DockerEngine } from '../../../src/verify/engine/docker.js';
import { ROOT } from '../../helpers/fixtures.js';

export const REQUIRED = process.env.RESTAGE_E2E === '1';

/** The client scripts/engine.sh picks (Debian's 20.10 client over a 28.x one without buildx). */
function chooseClient(): string | undefined {
  if (process.env.RESTAGE_DOCKER) return process.env.RESTAGE_DOCKER;
  try {
    return execFileSync('bash', [join(ROOT, 'scripts', 'engine.sh'), 'client'], { encoding: 'utf8' }).trim() || undefined;
  } catch {
    return undefined;
  }
}

export const client = chooseClient();
export const engine = new DockerEngine(client === undefined ? {} : { client });

/** Why e2e tests cannot run here ('' when they can), given the base images they need. */
export async function unavailable(images: readonly string[]): Promise<string> {
  const ping = await engine.ping();
  if (!ping.ok) return `no engine reachable through ${engine.client} (${ping.message}); start one with: bash scripts/engine.sh start`;
  for (const image of images) {
    if (!(await engine.inspectImage(image).then(() => true, () => false))) return `test image ${image} missing; build it with: bash scripts/test-images.sh`;
  }
  return '';
}

/** Registers an e2e test: runs it, fails it (RESTAGE_E2E=1) or skips it with the reason. */
export function e2eTest(reason: string): (title: string, impl: (t: ExecutionContext) => Promise<void>) => void {
  return (title, impl) => {
    if (reason === '') test.serial(title, impl);
    else if (REQUIRED) test(title, (t) => t.fail(`RESTAGE_E2E=1 but ${reason}`));
    else test.skip(`${title} (skipped: ${reason})`, impl);
  };
}
