import test from 'ava';
import { displayPath } from '../../src/shared/display-path.js';

const cases: [p: string, base: string, shown: string][] = [
  ['/w/repo/Dockerfile', '/w', 'repo/Dockerfile'],
  ['/w/repo', '/w/repo', '.'],
  ['/w/repo/', '/w/repo', '.'],
  ['/w/..data/Dockerfile', '/w', '..data/Dockerfile'],
  ['/elsewhere/Dockerfile', '/w', '/elsewhere/Dockerfile'],
  ['/w', '/w/repo', '/w'],
  ['/w/repo/a b/build.sh', '/w/repo', 'a b/build.sh'],
];
for (const [p, base, shown] of cases) test(`${p} from ${base}`, (t) => t.is(displayPath(p, base), shown));
