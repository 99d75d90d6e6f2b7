/**
 * Gating for end-to-end tests: they need a real engine and the test base images
 * (`bash scripts/engine.sh start && bash scripts/test-images.sh`). Without them each test is
 * skipped with the reason in its title — unless the engine's variable is 1 (RESTAGE_E2E=1 for
 * docker, in CI), where each one fails.
 */
import test, { type ExecutionContext } from 'ava';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { DockerEngine } from '../../../src/verify/engine/docker.js';
import { ROOT } from '../../helpers/fixtures.js';

/** The client scripts/engine.sh picks (Debian's 20.10 client over a 28.x one without buildx). */
function chooseClient(): string | undefined {
  if (process.env.RESTAGE_DOCKER) return process.env.RESTAGE_DOCKER;
  try {
    return (
      execFileSync('bash', [join(ROOT, 'scripts', 'engine.sh'), 'client'], { encoding: 'utf8' }).trim() || undefined
    );
  } catch {
    return undefined;
  }
}

export const client = chooseClient();
export const engine = new DockerEngine(client === undefined ? {} : { client });

/** What to tell the user when an engine or a test image is missing. */
export interface Setup {
  /** The engine does not answer through `client`; `message` is ping's. */
  readonly unreachable: (client: string, message: string) => string;
  readonly missingImage: (image: string) => string;
}

const DOCKER_SETUP: Setup = {
  unreachable: (through, message) =>
    `no engine reachable through ${through} (${message}); start one with: bash scripts/engine.sh start`,
  missingImage: (image) => `test image ${image} missing; build it with: bash scripts/test-images.sh`,
};

/** Why e2e tests cannot run on `on` ('' when they can), given the base images they need. */
export async function unavailable(
  images: readonly string[],
  on: DockerEngine = engine,
  setup: Setup = DOCKER_SETUP,
): Promise<string> {
  const ping = await on.ping();
  if (!ping.ok) return setup.unreachable(on.client, ping.message);
  for (const image of images) {
    if (
      !(await on.inspectImage(image).then(
        () => true,
        () => false,
      ))
    )
      return setup.missingImage(image);
  }
  return '';
}

/** Registers an e2e test; `reason` is why such tests cannot run here ('' when they can). */
export type E2E = ((title: string, impl: (t: ExecutionContext) => Promise<void>) => void) & { readonly reason: string };

/**
 * Registers e2e tests: runs them (serially), fails them (when `variable` is 1) or skips them with
 * the reason. RESTAGE_E2E requires the docker tests; other engines have their own variable.
 */
export function e2eTest(reason: string, variable = 'RESTAGE_E2E'): E2E {
  const required = process.env[variable] === '1';
  const register = (title: string, impl: (t: ExecutionContext) => Promise<void>): void => {
    if (reason === '') test.serial(title, impl);
    else if (required) test(title, (t) => t.fail(`${variable}=1 but ${reason}`));
    else test.skip(`${title} (skipped: ${reason})`, impl);
  };
  return Object.assign(register, { reason });
}
