/**
 * `docker build`, `docker image build`, `docker buildx build`, `docker builder build`:
 * an ImageBuild with its tags, Dockerfile (`-f` is relative to the working directory, not to the
 * context), context, build arguments, target and the options the replacement command keeps.
 */
import path from 'node:path';
import { diagnostic } from '../../model/diagnostic.js';
import type { BuildArg, Builder } from '../../model/flow.js';
import type { CommandAnalyzer, CommandCall } from '../command.js';
import type { Word } from '../shell/values.js';
import { stdinContext } from '../build-stdin.js';
import { shellQuote } from '../../shared/shell-quote.js';
import { allValues, hasFlag, lastValue, parseWords, spec } from '../../shared/docker-options.js';

export const verbs = [['build'], ['image', 'build'], ['buildx', 'build'], ['builder', 'build'], ['buildx', 'b']];

export const BUILD = spec(
  [
    't|tag',
    'f|file',
    'build-arg',
    'target',
    'platform',
    'label',
    'network',
    'cache-from',
    'cache-to',
    'iidfile',
    'add-host',
    'cpu-shares',
    'cpuset-cpus',
    'cpuset-mems',
    'cpu-period',
    'cpu-quota',
    'm|memory',
    'memory-swap',
    'shm-size',
    'ulimit',
    'secret',
    'ssh',
    'o|output',
    'progress',
    'isolation',
    'security-opt',
    'cgroup-parent',
    'build-context',
    'builder',
    'attest',
    'sbom',
    'provenance',
    'metadata-file',
    'allow',
    'annotation',
    'call',
    'check',
    'no-cache-filter',
    'c|cpu-shares',
  ],
  [
    'no-cache',
    'pull',
    'q|quiet',
    'rm',
    'force-rm',
    'compress',
    'squash',
    'load',
    'push',
    'disable-content-trust',
    'D|debug',
  ],
);

/** Options whose effect the replacement command must keep, as written. */
const KEPT = new Set([
  'label',
  'network',
  'add-host',
  'secret',
  'ssh',
  'build-context',
  'shm-size',
  'ulimit',
  'security-opt',
  'isolation',
  'load',
  'push',
  'output',
  'progress',
  'builder',
  'cache-from',
  'cache-to',
]);

export const analyze: CommandAnalyzer = (call, sink) => {
  const parsed = parseWords(call.args, BUILD);
  for (const u of parsed.unknown) {
    sink.report(
      diagnostic(
        'RS306',
        u.at,
        `restage does not know the build option \`${u.text}\` and treated it as a flag without a value; if it takes one, the build context may be misread`,
      ),
    );
  }
  const contextWord = parsed.positionals[0];
  if (!contextWord) {
    sink.report(diagnostic('RS306', call.at, '`docker build` without a context: restage ignored this command'));
    return undefined;
  }
  const streamed = contextWord.text === '-' ? stdinContext(call, sink, contextWord, lastValue(parsed, 'file')) : null;
  if (contextWord.text === '-' && streamed === null) return undefined;
  if (/^[a-z]+:\/\//.test(contextWord.text) || contextWord.text.startsWith('git@')) {
    sink.report(
      diagnostic(
        'RS307',
        contextWord.at,
        'a build context from a URL is not supported yet: restage needs a local directory to merge the Dockerfiles',
      ),
    );
    return undefined;
  }
  const fileWord = lastValue(parsed, 'file');
  if (streamed === null && fileWord?.text === '-') {
    sink.report(
      diagnostic(
        'RS307',
        fileWord.at,
        'a Dockerfile read from standard input (`-f -`) is not supported yet: restage needs the Dockerfile as a file to merge it; build with `-f <file>` and run restage again',
      ),
    );
    return undefined;
  }
  const context = streamed ? streamed.context : sink.hostPath(contextWord, 'build context');
  const dockerfile = streamed
    ? streamed.dockerfile
    : fileWord
      ? sink.hostPath(fileWord, 'Dockerfile path (-f)')
      : context && path.join(context, 'Dockerfile');
  if (!context || !dockerfile) return undefined;
  const buildArgs: BuildArg[] = allValues(parsed, 'build-arg').map((w) => {
    const eq = w.text.indexOf('=');
    return {
      name: eq < 0 ? w.text : w.text.slice(0, eq),
      value: eq < 0 ? null : w.text.slice(eq + 1),
      written: w.written,
      fromEnvironment: w.environment,
      at: w.at,
    };
  });
  const tags = allValues(parsed, 'tag')
    .map((w) => sink.require(w, 'image tag'))
    .filter((t): t is string => t !== null);
  const target = lastValue(parsed, 'target');
  const platform = lastValue(parsed, 'platform');
  sink.emit({
    kind: 'build',
    at: call.at,
    tags,
    dockerfile,
    dockerfileGiven: streamed !== null || fileWord !== null,
    dockerfileAt: (fileWord ?? contextWord).at,
    context,
    buildArgs,
    target: target ? sink.require(target, 'build target') : null,
    noCache: hasFlag(parsed, 'no-cache'),
    pull: hasFlag(parsed, 'pull'),
    platform: platform ? platform.written : null,
    // As the script ran them: a word whose value the script fixes is written out (`$VERSION` is unset where the one build runs).
    passThrough: parsed.options
      .filter((o) => KEPT.has(o.name))
      .flatMap((o) =>
        o.words.map((w) => (w.unresolved === null && w.environment.length === 0 ? shellQuote(w.text) : w.written)),
      ),
    ...labelsOf(allValues(parsed, 'label')),
    invocation: {
      client: /podman$/.test(call.name.text) ? 'podman' : 'docker',
      sudo: call.sudo ?? false,
      verb: call.verb ?? ['build'],
    },
    builder: builderOf(call),
    ...(streamed ? { streamed: streamed.streamed } : {}),
  });
  return undefined;
};

/** `--label KEY=VALUE` (`--label KEY`: an empty value) as the image's labels, when every value is known. */
function labelsOf(words: readonly Word[]): { labels?: Record<string, string> } {
  if (words.length === 0 || words.some((w) => w.unresolved !== null || w.environment.length > 0)) return {};
  const labels: Record<string, string> = {};
  for (const w of words) {
    const eq = w.text.indexOf('=');
    if (eq === -1) labels[w.text] = '';
    else labels[w.text.slice(0, eq)] = w.text.slice(eq + 1);
  }
  return { labels };
}

/**
 * The docker client reads DOCKER_BUILDKIT as a boolean (1, t, true… / 0, f, false…); `buildx build`
 * always builds with BuildKit. A value restage cannot read leaves the choice to the engine.
 */
export function builderOf(call: CommandCall): Builder | null {
  if (/podman$/.test(call.name.text)) return null;
  if (call.verb?.[0] === 'buildx') return 'buildkit';
  const value = call.environment.get('DOCKER_BUILDKIT');
  if (!value || value.unresolved !== null) return null;
  if (/^(1|t|true)$/i.test(value.text)) return 'buildkit';
  if (/^(0|f|false)$/i.test(value.text)) return 'classic';
  return null;
}
