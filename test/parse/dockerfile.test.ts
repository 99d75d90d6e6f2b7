/** parseDockerfile: stages, instructions, spans and the syntax diagnostics Docker would also give. */
import test from 'ava';
import { parseDockerfile } from '../../src/parse/dockerfile.js';

test('stages: index, lower-cased name, image as written, the instructions after FROM; global ARGs apart', (t) => {
  const text = 'ARG V=1\nFROM golang:${V} AS Build\nRUN go build\nFROM alpine\nCOPY --from=build /app /app\n';
  const { dockerfile: f, diagnostics } = parseDockerfile('Dockerfile', text);
  t.deepEqual(diagnostics, []);
  t.deepEqual(
    f.stages.map((s) => [s.index, s.name, s.image, s.instructions.map((i) => i.keyword)]),
    [
      [0, 'build', 'golang:${V}', ['RUN']],
      [1, null, 'alpine', ['COPY']],
    ],
  );
  t.deepEqual(
    f.globalArgs.map((a) => a.args[0]?.raw),
    ['V=1'],
  );
  t.deepEqual(
    f.instructions.map((i) => i.stage),
    [-1, 0, 0, 1, 1],
  );
});

test('spans are offsets into the text, with 1-based line and column', (t) => {
  const text = 'FROM alpine\n  copy --chown=1:1 a b /dst/\n';
  const copy = parseDockerfile('Dockerfile', text).dockerfile.instructions[1]!;
  t.is(copy.keyword, 'COPY');
  t.is(text.slice(copy.keywordSpan.start, copy.keywordSpan.end), 'copy');
  t.deepEqual([copy.line, copy.column], [2, 3]);
  t.deepEqual(
    copy.flags.map((f) => [f.name, f.value]),
    [['chown', '1:1']],
  );
  t.deepEqual(
    copy.args.map((a) => [a.raw, text.slice(a.start, a.end), a.column]),
    [
      ['a', 'a', 20],
      ['b', 'b', 22],
      ['/dst/', '/dst/', 24],
    ],
  );
  t.false(copy.jsonForm);
});

const forms: [text: string, json: boolean][] = [
  ['CMD ["./app", "-v"]', true],
  ["CMD ['./app']", false],
  ['CMD ./app -v', false],
];
for (const [line, json] of forms) {
  test(`exec form: ${line} → ${json}`, (t) => {
    const f = parseDockerfile('Dockerfile', `FROM scratch\n${line}\n`).dockerfile;
    t.is(f.instructions[1]!.jsonForm, json);
  });
}

test('directives at the top: escape character and syntax', (t) => {
  const f = parseDockerfile('Dockerfile', '# syntax=docker/dockerfile:1\n# escape=`\nFROM alpine\n').dockerfile;
  t.is(f.escapeChar, '`');
  t.deepEqual(
    f.directives.map((d) => [d.name, d.value, d.span.line]),
    [
      ['syntax', 'docker/dockerfile:1', 1],
      ['escape', '`', 2],
    ],
  );
});

const errors: [name: string, text: string, code: string, line: number, column: number][] = [
  ['a space in the image reference', 'FROM golang: 1.7.3\n', 'RS201', 1, 14],
  ['an unknown instruction', 'FROM alpine\nWORKDIR: /app\n', 'RS201', 2, 1],
  ['a carriage return inside a line', 'FROM alpine\nRUN echo a\rb\n', 'RS205', 2, 11],
];
for (const [name, text, code, line, column] of errors) {
  test(`diagnostic: ${name}`, (t) => {
    const { diagnostics } = parseDockerfile('Dockerfile', text, 'shown/Dockerfile');
    const found = diagnostics.find((d) => d.code === code);
    t.truthy(found, JSON.stringify(diagnostics));
    t.deepEqual([found?.file, found?.line, found?.column], ['shown/Dockerfile', line, column]);
  });
}

test('CRLF line ends are no diagnostic', (t) => {
  t.deepEqual(parseDockerfile('Dockerfile', 'FROM alpine\r\nRUN true\r\n').diagnostics, []);
});

test('exec form: each string decoded as JSON, as Docker does (spaces, escaped quotes, \\u escapes kept)', (t) => {
  const text = 'FROM alpine\nCOPY ["my app", "a\\"b", "c\\u0041", "/usr/bin/"]\nCMD ["/usr/bin/my app"]\n';
  const [, copy, cmd] = parseDockerfile('Dockerfile', text).dockerfile.instructions;
  t.true(copy!.jsonForm);
  t.deepEqual(
    copy!.args.map((a) => [a.raw, text.slice(a.start, a.end)]),
    [
      ['my app', '"my app"'],
      ['a"b', '"a\\"b"'],
      ['cA', '"c\\u0041"'],
      ['/usr/bin/', '"/usr/bin/"'],
    ],
  );
  t.deepEqual(
    cmd!.args.map((a) => a.raw),
    ['/usr/bin/my app'],
  );
});

test('exec form that is not valid JSON is shell form, as Docker reads it', (t) => {
  const text = 'FROM alpine\nCMD ["a\\x"]\n';
  const cmd = parseDockerfile('Dockerfile', text).dockerfile.instructions[1]!;
  t.false(cmd.jsonForm);
  t.deepEqual(
    cmd.args.map((a) => a.raw),
    ['["a\\x"]'],
  );
});
