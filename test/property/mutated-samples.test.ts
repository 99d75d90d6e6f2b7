/**
 * Every sample with each line of each file deleted in turn, and each argument of each docker
 * command of its script dropped in turn: a correct migration or a located diagnostic.
 */
import test from 'ava';
import fs from 'node:fs';
import path from 'node:path';
import { validate } from 'dockerfile-utils';
import { DockerfileParser } from 'dockerfile-ast';
import { runMigrate } from '../../src/cli/migrate.js';
import { ROOT, tempCopy } from '../helpers/fixtures.js';
import { problems } from './harness.js';

const SAMPLES = path.join(ROOT, 'samples');

/** What a migrated Dockerfile must satisfy, whatever the input. */
function wrong(dir: string, dockerfile: string): string[] {
  const out: string[] = [];
  if (validate(dockerfile).some((d) => d.severity === 1)) out.push('does not re-parse clean');
  if (/^#\s*syntax\s*=/im.test(dockerfile)) out.push('emits # syntax=');
  const ast = DockerfileParser.parse(dockerfile);
  const stages = ast
    .getFROMs()
    .map((f) => f.getBuildStage()?.toLowerCase())
    .filter(Boolean);
  for (const i of ast.getInstructions()) {
    if (i.getKeyword() !== 'COPY') continue;
    const from = /--from=(\S+)/.exec(i.getTextContent())?.[1];
    const args = i
      .getArguments()
      .map((a) => a.getValue())
      .filter((a) => !a.startsWith('--'));
    // --from names a stage, or an image the script copied from without building it (`docker create app:build` with the build deleted).
    if (from) {
      if (!stages.includes(from.toLowerCase()) && !/[:/]/.test(from))
        out.push(`COPY --from=${from} names no stage and no image`);
      continue;
    }
    for (const src of args.slice(0, -1))
      if (!/[*?[$]/.test(src) && !fs.existsSync(path.join(dir, src)))
        out.push(`COPY source ${src} is not in the context`);
  }
  return out;
}

function variants(dir: string): { label: string; file: string; text: string }[] {
  const out: { label: string; file: string; text: string }[] = [];
  for (const file of fs.readdirSync(dir).filter((f) => fs.statSync(path.join(dir, f)).isFile())) {
    const lines = fs.readFileSync(path.join(dir, file), 'utf8').split('\n');
    lines.forEach((_, i) =>
      out.push({
        label: `${file} without line ${i + 1}`,
        file,
        text: [...lines.slice(0, i), ...lines.slice(i + 1)].join('\n'),
      }),
    );
    if (!file.endsWith('.sh')) continue;
    lines.forEach((line, i) => {
      const words = line.trim().split(/\s+/);
      if (words[0] !== 'docker') return;
      for (let w = 1; w < words.length; w++) {
        const dropped = [...words.slice(0, w), ...words.slice(w + 1)].join(' ');
        out.push({
          label: `${file}:${i + 1} without "${words[w]}"`,
          file,
          text: [...lines.slice(0, i), dropped, ...lines.slice(i + 1)].join('\n'),
        });
      }
    });
  }
  return out;
}

for (const sample of fs.readdirSync(SAMPLES).sort()) {
  test(`samples/${sample}: every line deleted and every docker argument dropped gives a correct migration or a located diagnostic`, (t) => {
    const src = path.join(SAMPLES, sample);
    const all = variants(src);
    const failures: string[] = [];
    let migrated = 0;
    for (const v of all) {
      const dir = tempCopy(src);
      try {
        fs.writeFileSync(path.join(dir, v.file), v.text);
        const { result, exitCode } = runMigrate(dir, { displayBase: dir });
        const found = problems(dir, result, exitCode);
        if (result.dockerfile !== null) {
          migrated++;
          found.push(...wrong(dir, result.dockerfile));
        } else if (result.status === 'error' && !result.diagnostics.some((d) => d.severity === 'error' && d.line >= 1))
          found.push('error without a located diagnostic');
        if (found.length) failures.push(`${v.label}: ${found.join('; ')}`);
      } finally {
        fs.rmSync(dir, { recursive: true, force: true });
      }
    }
    t.log(`${all.length} variants, ${migrated} migrated`);
    t.true(all.length > 0);
    t.deepEqual(failures, []);
  });
}
