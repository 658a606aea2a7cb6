/**
 * The console's shell: enough of a POSIX shell for what people paste from the tutorials and
 * the docs. A line is split into words (quotes and backslashes as sh reads them), `|` makes a
 * pipeline, `sudo` in front is accepted and ignored, a program named by a path (`/usr/sbin/
 * rabbitmqctl`, `python ./rabbitmqadmin`) runs as its base name. The first stage is one of the
 * console's programs; the later ones are text filters: sed 's/A/B/g', grep, column -t, head,
 * tail, sort, wc -l. Cost: linear in the line and the output.
 */

export interface ProgramResult {
  /** What the program printed, every line ending in "\n" (or '' for nothing). */
  stdout: string;
  stderr: string;
  status: number;
}

/** A console program: its arguments (after its name) in, its output out. */
export type Program = (args: readonly string[]) => ProgramResult | Promise<ProgramResult>;

export const ok = (stdout: string): ProgramResult => ({ stdout, stderr: '', status: 0 });
export const failed = (stderr: string, status = 1, stdout = ''): ProgramResult => ({ stdout, stderr, status });

/** A line as words and pipes, or why sh would refuse it. */
export type Parsed = { ok: true; stages: string[][] } | { ok: false; message: string };

/** The most a line may hold: a pasted screenful, not a file. */
export const MAX_LINE = 16_384;

export function parseLine(line: string): Parsed {
  if (line.length > MAX_LINE) return { ok: false, message: `bash: line too long (${line.length} characters; at most ${MAX_LINE})` };
  const stages: string[][] = [[]];
  let word: string | null = null;
  const end = () => {
    if (word !== null) stages.at(-1)!.push(word);
    word = null;
  };
  for (let i = 0; i < line.length; i++) {
    const c = line[i]!;
    if (c === ' ' || c === '\t' || c === '\n') end();
    else if (c === '|') {
      end();
      if (stages.at(-1)!.length === 0) return { ok: false, message: "bash: syntax error near unexpected token `|'" };
      stages.push([]);
    } else if (c === "'") {
      const close = line.indexOf("'", i + 1);
      if (close < 0) return { ok: false, message: 'bash: unexpected EOF while looking for matching `\'\'' };
      word = (word ?? '') + line.slice(i + 1, close);
      i = close;
    } else if (c === '"') {
      let text = '';
      let j = i + 1;
      for (; j < line.length && line[j] !== '"'; j++) {
        // Inside double quotes a backslash escapes only $ ` " \ and newline.
        if (line[j] === '\\' && j + 1 < line.length && '$`"\\\n'.includes(line[j + 1]!)) j++;
        text += line[j];
      }
      if (j >= line.length) return { ok: false, message: 'bash: unexpected EOF while looking for matching `"\'' };
      word = (word ?? '') + text;
      i = j;
    } else if (c === '\\') {
      if (i + 1 < line.length) word = (word ?? '') + line[++i];
    } else if (c === ';' || c === '&' || c === '>' || c === '<' || c === '`' || c === '$' && line[i + 1] === '(') {
      return { ok: false, message: `console: '${c}' is not supported here: one command, optionally piped into sed, grep, column, head, tail, sort or wc` };
    } else word = (word ?? '') + c;
  }
  end();
  if (stages.at(-1)!.length === 0) {
    if (stages.length > 1) return { ok: false, message: 'bash: syntax error: unexpected end of file' };
    return { ok: true, stages: [] };
  }
  return { ok: true, stages };
}

/** The program a stage runs and its arguments: `sudo` dropped, a path or an interpreter unwrapped. */
export function programOf(words: readonly string[]): { name: string; args: string[] } {
  let rest = [...words];
  while (rest[0] === 'sudo' || rest[0] === '-E') rest = rest.slice(1);
  const base = (word: string) => word.slice(word.lastIndexOf('/') + 1);
  // python rabbitmqadmin …, python3 /usr/local/bin/rabbitmqadmin …
  if (rest.length > 1 && /^python[\d.]*$/.test(base(rest[0]!))) rest = rest.slice(1);
  const name = rest.length > 0 ? base(rest[0]!).replace(/\.py$/, '') : '';
  return { name, args: rest.slice(1) };
}

/** Runs a parsed line: the first stage's program, its stdout through the filters. */
export async function runLine(line: string, programs: Readonly<Record<string, Program>>): Promise<ProgramResult> {
  const parsed = parseLine(line);
  if (!parsed.ok) return failed(`${parsed.message}\n`, 2);
  if (parsed.stages.length === 0) return ok('');
  let result: ProgramResult | undefined;
  for (const [index, words] of parsed.stages.entries()) {
    const { name, args } = programOf(words);
    if (index === 0) {
      const program = Object.hasOwn(programs, name) ? programs[name] : undefined;
      result = program ? await program(args) : failed(`bash: ${name}: command not found\n`, 127);
      continue;
    }
    const filter = Object.hasOwn(FILTERS, name) ? FILTERS[name] : undefined;
    if (!filter) return failed(`${result!.stderr}bash: ${name}: command not found\n`, 127);
    const next = filter(args, result!.stdout);
    // As in a pipeline, the last stage's status counts; every stage's errors show.
    result = { stdout: next.stdout, stderr: result!.stderr + next.stderr, status: next.status };
  }
  return result!;
}

// ---- filters -----------------------------------------------------------------------------------

type Filter = (args: readonly string[], input: string) => ProgramResult;

const linesOf = (text: string) => (text === '' ? [] : text.replace(/\n$/, '').split('\n'));
const joined = (lines: readonly string[]) => (lines.length === 0 ? '' : `${lines.join('\n')}\n`);

const FILTERS: Record<string, Filter> = {
  sed: (args, input) => {
    const script = args.find((a) => !a.startsWith('-'));
    const substitution = script === undefined ? null : parseSubstitution(script);
    if (!substitution) return failed(`sed: -e expression #1, char ${script?.length ?? 0}: unknown command: \`${script?.[0] ?? ''}'\n`);
    return ok(joined(linesOf(input).map((l) => l.replace(substitution.pattern, substitution.replacement))));
  },
  grep: (args, input) => {
    const flags = args.filter((a) => /^-[a-zA-Z]+$/.test(a)).join('');
    const words = args.filter((a) => !/^-[a-zA-Z]+$/.test(a));
    if (words.length === 0) return failed('Usage: grep [OPTION]... PATTERNS [FILE]...\n', 2);
    let pattern: RegExp;
    try {
      pattern = new RegExp(flags.includes('F') ? escapeRegExp(words[0]!) : basicToJs(words[0]!, flags.includes('E')), flags.includes('i') ? 'i' : '');
    } catch {
      return failed(`grep: Invalid regular expression\n`, 2);
    }
    const invert = flags.includes('v');
    const kept = linesOf(input).filter((l) => pattern.test(l) !== invert);
    if (flags.includes('c')) return ok(`${kept.length}\n`);
    return { stdout: joined(kept), stderr: '', status: kept.length > 0 ? 0 : 1 };
  },
  column: (args, input) => {
    if (!args.includes('-t')) return ok(input);
    const separator = args.includes('-s') ? args[args.indexOf('-s') + 1] ?? '\t' : null;
    const rows = linesOf(input).map((l) => (separator === null ? l.trim().split(/\s+/) : l.split(separator)));
    const widths: number[] = [];
    for (const row of rows) row.forEach((cell, i) => (widths[i] = Math.max(widths[i] ?? 0, cell.length)));
    return ok(joined(rows.map((row) => row.map((cell, i) => (i === row.length - 1 ? cell : cell.padEnd(widths[i]!))).join('  '))));
  },
  head: (args, input) => ok(joined(linesOf(input).slice(0, count(args)))),
  tail: (args, input) => {
    const lines = linesOf(input);
    return ok(joined(lines.slice(Math.max(0, lines.length - count(args)))));
  },
  sort: (args, input) => {
    const lines = [...linesOf(input)].sort();
    return ok(joined(args.includes('-r') ? lines.reverse() : lines));
  },
  wc: (args, input) => (args.includes('-l') ? ok(`${linesOf(input).length}\n`) : ok(`${linesOf(input).length} ${input.split(/\s+/).filter(Boolean).length} ${input.length}\n`)),
};

/** `-n N`, `-N` or `-nN`; 10 by default. */
function count(args: readonly string[]): number {
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    const n = a === '-n' ? args[i + 1] : /^-n?(\d+)$/.exec(a)?.[1];
    if (n !== undefined && /^\d+$/.test(n)) return Number(n);
  }
  return 10;
}

/** `s/A/B/g` (any delimiter): A a basic regular expression, `\t` a tab, `&` the match in B. */
function parseSubstitution(script: string): { pattern: RegExp; replacement: string } | null {
  if (script[0] !== 's' || script.length < 4) return null;
  const d = script[1]!;
  const parts: string[] = [''];
  for (let i = 2; i < script.length; i++) {
    const c = script[i]!;
    if (c === '\\' && script[i + 1] === d) parts[parts.length - 1] += script[++i];
    else if (c === '\\' && i + 1 < script.length) parts[parts.length - 1] += c + script[++i];
    else if (c === d) parts.push('');
    else parts[parts.length - 1] += c;
  }
  if (parts.length !== 3) return null;
  const [from, to, flags] = parts as [string, string, string];
  try {
    const replacement = to.replace(/\\t/g, '\t').replace(/\\n/g, '\n').replace(/\$/g, '$$$$').replace(/\\&/g, '\u0000').replace(/&/g, '$$&').replace(/\u0000/g, '&');
    return { pattern: new RegExp(basicToJs(from, false), flags.includes('g') ? 'g' : ''), replacement };
  } catch {
    return null;
  }
}

/** A POSIX basic (or, with `extended`, extended) regular expression as a JS one, near enough. */
function basicToJs(pattern: string, extended: boolean): string {
  let out = '';
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i]!;
    if (c === '\\' && i + 1 < pattern.length) {
      const n = pattern[++i]!;
      if (n === 't') out += '\\t';
      else if (!extended && '(){}|+?'.includes(n)) out += n; // \( … \) groups in BRE
      else out += `\\${n}`;
    } else if (!extended && '(){}|+?'.includes(c)) out += `\\${c}`;
    else out += c;
  }
  return out;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
