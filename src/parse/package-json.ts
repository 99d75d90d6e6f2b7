/**
 * The `scripts` of a package.json with where each one's characters are in the file: a JSON string's
 * escapes (`\"`, `\n`, `\u0041`) make its decoded text shorter than its source, so every decoded
 * character carries its own line and column. Pure.
 */

export interface SourceString {
  readonly text: string;
  /** For each character of `text`: its 1-based line and column in the file. */
  readonly at: readonly { readonly line: number; readonly column: number }[];
  /** The opening quote. */
  readonly start: { readonly line: number; readonly column: number };
}

export interface PackageScripts {
  /** `scripts` in file order (a repeated name: the last one, as JSON.parse and npm take it). */
  readonly scripts: ReadonlyMap<string, { readonly key: SourceString; readonly value: SourceString }>;
}

/** The scripts of `text`, or why they cannot be read (not JSON, `scripts` not an object of strings). */
export function readPackageScripts(text: string): PackageScripts | { readonly error: string } {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (e) {
    return { error: `it is not valid JSON (${(e as Error).message})` };
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed))
    return { error: 'it is not a JSON object' };
  const scripts = (parsed as Record<string, unknown>).scripts;
  if (scripts === undefined) return { scripts: new Map() };
  if (scripts === null || typeof scripts !== 'object' || Array.isArray(scripts))
    return { error: '"scripts" is not an object' };
  if (!Object.values(scripts).every((v) => typeof v === 'string'))
    return { error: 'a value of "scripts" is not a string' };
  const scanner = new Scanner(text);
  const found = new Map<string, { key: SourceString; value: SourceString }>();
  scanner.object((key, depth) => {
    if (depth !== 0 || key.text !== 'scripts') return false;
    scanner.object((name, inner) => {
      if (inner !== 1) return false;
      found.set(name.text, { key: name, value: scanner.string() });
      return true;
    }, 1);
    return true;
  }, 0);
  return { scripts: found };
}

/** A package's `name` and its `workspaces` patterns (an array, or npm's older `{ "packages": [...] }`); empty when absent or unreadable. */
export function readPackageInfo(text: string): {
  readonly name: string | null;
  readonly workspaces: readonly string[];
} {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return { name: null, workspaces: [] };
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) return { name: null, workspaces: [] };
  const record = parsed as Record<string, unknown>;
  const listed = Array.isArray(record.workspaces)
    ? record.workspaces
    : record.workspaces !== null && typeof record.workspaces === 'object'
      ? (record.workspaces as Record<string, unknown>).packages
      : undefined;
  return {
    name: typeof record.name === 'string' ? record.name : null,
    workspaces: Array.isArray(listed) ? listed.filter((w): w is string => typeof w === 'string') : [],
  };
}

/** A scanner over JSON that JSON.parse has accepted: it never meets a syntax error. */
class Scanner {
  private i = 0;
  private line = 1;
  private column = 1;
  constructor(private readonly text: string) {}

  private where() {
    return { line: this.line, column: this.column };
  }
  private advance(): string {
    const c = this.text[this.i++]!;
    if (c === '\n') {
      this.line++;
      this.column = 1;
    } else this.column++;
    return c;
  }
  private space(): void {
    while (this.i < this.text.length && /\s/.test(this.text[this.i]!)) this.advance();
  }

  string(): SourceString {
    this.space();
    const start = this.where();
    this.advance(); // "
    let text = '';
    const at: { line: number; column: number }[] = [];
    while (this.text[this.i] !== '"') {
      const here = this.where();
      let c = this.advance();
      if (c === '\\') {
        const e = this.advance();
        if (e === 'u') {
          let hex = '';
          for (let k = 0; k < 4; k++) hex += this.advance();
          c = String.fromCharCode(parseInt(hex, 16));
        } else c = ({ n: '\n', t: '\t', r: '\r', b: '\b', f: '\f' } as Record<string, string>)[e] ?? e;
      }
      text += c;
      at.push(here);
    }
    this.advance();
    return { text, at, start };
  }

  /** Walks an object; `member(key, depth)` consumes the value and returns true, or returns false to have it skipped. */
  object(member: (key: SourceString, depth: number) => boolean, depth: number): void {
    this.space();
    this.advance(); // {
    this.space();
    while (this.text[this.i] !== '}') {
      const key = this.string();
      this.space();
      this.advance(); // :
      if (!member(key, depth)) this.value();
      this.space();
      if (this.text[this.i] === ',') this.advance();
      this.space();
    }
    this.advance();
  }

  private value(): void {
    this.space();
    const c = this.text[this.i];
    if (c === '"') this.string();
    else if (c === '{') this.object(() => false, -1);
    else if (c === '[') {
      this.advance();
      this.space();
      while (this.text[this.i] !== ']') {
        this.value();
        this.space();
        if (this.text[this.i] === ',') this.advance();
        this.space();
      }
      this.advance();
    } else while (this.i < this.text.length && /[^,}\]\s]/.test(this.text[this.i]!)) this.advance();
  }
}
