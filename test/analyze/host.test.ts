/** Host commands between extraction and the runtime build, as flow events: strip and ln -s. */
import test from 'ava';
import { analysisOf } from '../helpers/analysis.js';
import type { HostOperation } from '../../src/model/flow.js';

const hostOps = (line: string): Pick<HostOperation, 'op' | 'paths' | 'written'>[] =>
  analysisOf({ 'build.sh': `${line}\n` })
    .flow.events.filter((e): e is HostOperation => e.kind === 'host')
    .map(({ op, paths, written }) => ({ op, paths, ...(written ? { written } : {}) }));

const macro = test.macro((t, line: string, expected: ReturnType<typeof hostOps>) => {
  t.deepEqual(hostOps(line), expected);
});

test('strip with options that only choose what is stripped', macro, 'strip --strip-unneeded -g app lib.so', [
  { op: 'strip', paths: ['/proj/app', '/proj/lib.so'], written: ['--strip-unneeded', '-g'] },
]);
test('strip -o (writes elsewhere) is not modelled', macro, 'strip -o app.small app', [
  { op: 'other', paths: ['/proj/app.small', '/proj/app'] },
]);
test('ln -s: the link, then the options and the target as written', macro, 'ln -sf ../lib/x.so out/x.so', [
  { op: 'ln', paths: ['/proj/out/x.so'], written: ['-sf', '../lib/x.so'] },
]);
test('a hard link is not modelled', macro, 'ln app app2', [{ op: 'other', paths: ['/proj/app', '/proj/app2'] }]);
test('ln -s with the target alone (the link named after it) is not modelled', macro, 'ln -s /opt/app', [
  { op: 'other', paths: ['/opt/app'] },
]);
