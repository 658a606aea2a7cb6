/**
 * The console's shell: words and quotes as sh reads them, pipelines, `sudo`, and the text
 * filters people pipe rabbitmqctl into.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ok, parseLine, programOf, runLine, type Program } from '../../../src/broker/tools/shell';

const echo: Program = (args) => ok(args.length === 0 ? '' : `${args.join(' ')}\n`);
/** Prints its arguments, one per line: a way to feed the filters known text. */
const lines: Program = (args) => ok(args.map((a) => `${a}\n`).join(''));
const run = (line: string) => runLine(line, { echo, lines });

describe('parseLine', () => {
  it('splits words as sh does: quotes, backslashes, empty quoted words', () => {
    expect(parseLine(`a 'b c' "d \\"e\\"" f\\ g '' x"y"z`)).toEqual({ ok: true, stages: [['a', 'b c', 'd "e"', 'f g', '', 'xyz']] });
    expect(parseLine(`sed 's/\\t/ | /g'`)).toEqual({ ok: true, stages: [['sed', 's/\\t/ | /g']] });
    expect(parseLine('   ')).toEqual({ ok: true, stages: [] });
  });

  it('makes a pipeline of the stages between |, but not of a quoted |', () => {
    expect(parseLine(`a b | c 'd|e' | f`)).toEqual({ ok: true, stages: [['a', 'b'], ['c', 'd|e'], ['f']] });
  });

  it("refuses what sh would, and what the console does not do, with sh's words", () => {
    expect(parseLine(`a 'b`)).toMatchObject({ ok: false, message: expect.stringMatching(/unexpected EOF while looking for matching/) });
    expect(parseLine('a | | b')).toMatchObject({ ok: false, message: "bash: syntax error near unexpected token `|'" });
    expect(parseLine('a |')).toMatchObject({ ok: false, message: 'bash: syntax error: unexpected end of file' });
    expect(parseLine('a; rm -rf /')).toMatchObject({ ok: false, message: expect.stringMatching(/not supported here/) });
    expect(parseLine('a > file')).toMatchObject({ ok: false });
    expect(parseLine('x'.repeat(20_000))).toMatchObject({ ok: false, message: expect.stringMatching(/too long/) });
  });

  it('never throws, whatever the line (seeded)', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 200, unit: fc.constantFrom('a', ' ', "'", '"', '\\', '|', ';', '$', '(', 'x') }), (line) => {
        const parsed = parseLine(line);
        expect(typeof parsed.ok).toBe('boolean');
      }),
      { seed: 7, numRuns: 2000 },
    );
  });
});

describe('programOf', () => {
  it('drops sudo, unwraps a path and python, and .py', () => {
    expect(programOf(['sudo', 'rabbitmqctl', 'list_queues'])).toEqual({ name: 'rabbitmqctl', args: ['list_queues'] });
    expect(programOf(['/usr/sbin/rabbitmqctl', 'status'])).toEqual({ name: 'rabbitmqctl', args: ['status'] });
    expect(programOf(['python', '/tmp/rabbitmqadmin.py', 'list', 'queues'])).toEqual({ name: 'rabbitmqadmin', args: ['list', 'queues'] });
  });
});

describe('runLine', () => {
  it("runs the first stage's program and says when there is none, as bash does", async () => {
    expect(await run('echo hi there')).toEqual({ stdout: 'hi there\n', stderr: '', status: 0 });
    expect(await run('sudo echo hi')).toMatchObject({ stdout: 'hi\n' });
    expect(await run('nope a')).toEqual({ stdout: '', stderr: 'bash: nope: command not found\n', status: 127 });
    expect(await run('echo a | nope')).toMatchObject({ stderr: 'bash: nope: command not found\n', status: 127 });
    expect(await run('')).toEqual({ stdout: '', stderr: '', status: 0 });
  });

  it("sed 's/\\t/ | /g' turns tabs into ' | ' (the tutorials' form), & and \\& in the replacement", async () => {
    expect((await runLine(`x | sed 's/\\t/ | /g'`, { x: () => ok('name\tmessages\nhello\t4\n') })).stdout).toBe('name | messages\nhello | 4\n');
    expect((await run(`lines ab ab | sed 's/a/[&]/'`)).stdout).toBe('[a]b\n[a]b\n');
    expect((await run(`lines ab | sed 's/a/\\&/'`)).stdout).toBe('&b\n');
    expect((await run(`lines a.b | sed 's|.|-|g'`)).stdout).toBe('---\n');
    expect(await run(`lines a | sed 'p'`)).toMatchObject({ status: 1, stderr: expect.stringMatching(/^sed: -e expression #1/) });
  });

  it('grep keeps matching lines (-v, -i, -c, -E, -F), and exits 1 when none match', async () => {
    expect((await run('lines hello world help | grep hel')).stdout).toBe('hello\nhelp\n');
    expect((await run('lines hello world | grep -v hel')).stdout).toBe('world\n');
    expect((await run('lines Hello | grep -i hello')).stdout).toBe('Hello\n');
    expect((await run('lines a b a | grep -c a')).stdout).toBe('2\n');
    expect((await run("lines ab a+b | grep -F 'a+b'")).stdout).toBe('a+b\n');
    expect((await run("lines ab aab | grep -E '^a+b$'")).stdout).toBe('ab\naab\n');
    expect(await run('lines a | grep z')).toEqual({ stdout: '', stderr: '', status: 1 });
    expect(await run('lines a | grep')).toMatchObject({ status: 2 });
  });

  it('column -t aligns columns; head, tail, sort and wc -l count lines', async () => {
    const table = () => ok('name\tmessages\nhello\t4\nlonger_name\t12\n');
    expect((await runLine('t | column -t', { t: table })).stdout).toBe('name         messages\nhello        4\nlonger_name  12\n');
    expect((await run('lines a b c d | head -n 2')).stdout).toBe('a\nb\n');
    expect((await run('lines a b c d | tail -1')).stdout).toBe('d\n');
    expect((await run('lines b a c | sort')).stdout).toBe('a\nb\nc\n');
    expect((await run('lines a b c | wc -l')).stdout).toBe('3\n');
  });
});
