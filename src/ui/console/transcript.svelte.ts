/**
 * The console's session: what was typed and printed (the transcript), and the history the
 * arrow keys walk. Lives as long as the page's drawer, so switching tabs keeps both. Output is
 * kept as plain text; the view shows it as text, never as HTML.
 */

import type { ConsoleResult } from '../../worker/protocol';

export interface Entry {
  id: number;
  line: string;
  result: ConsoleResult;
}

/** How much the transcript keeps: the latest entries and at most this many characters each. */
const MAX_ENTRIES = 200;
const MAX_OUTPUT = 100_000;
const MAX_HISTORY = 100;

export class Transcript {
  entries = $state.raw<Entry[]>([]);
  history = $state.raw<string[]>([]);
  busy = $state(false);
  #next = 1;
  /** Where ↑/↓ are in the history: its length means "the line being typed". */
  #cursor = 0;
  #draft = '';

  /** The candidates Tab found last, when it could not decide between them. */
  candidates = $state.raw<string[]>([]);
  readonly #run: (line: string) => Promise<ConsoleResult | null>;
  readonly #complete: (line: string) => Promise<{ line: string; candidates: string[] } | null>;

  constructor(run: (line: string) => Promise<ConsoleResult | null>, complete: (line: string) => Promise<{ line: string; candidates: string[] } | null>) {
    this.#run = run;
    this.#complete = complete;
  }

  /** Tab: the line completed as far as it can be; several candidates are shown. */
  async complete(line: string): Promise<string> {
    const answer = await this.#complete(line);
    if (!answer) return line;
    this.candidates = answer.candidates.length > 1 ? answer.candidates.slice(0, 50) : [];
    return answer.line;
  }

  /** Where the history is kept between visits (with the diagram's autosave), if anywhere. */
  #keep: { write(lines: readonly string[]): void } | null = null;

  /** Takes a diagram's kept history (another diagram opened): ↑ recalls its lines from now on. */
  useHistory(kept: { read(): string[]; write(lines: readonly string[]): void } | null): void {
    // Written, never read, here: the effect that calls this does not depend on the history.
    const lines = kept?.read() ?? [];
    this.#keep = kept;
    this.history = lines;
    this.#cursor = lines.length;
    this.#draft = '';
  }

  /** Runs a line (or `clear`), adds it to the history and its output to the transcript. */
  async submit(line: string): Promise<void> {
    const trimmed = line.trim();
    if (trimmed !== '' && this.history.at(-1) !== trimmed) {
      this.history = [...this.history, trimmed].slice(-MAX_HISTORY);
      this.#keep?.write(this.history);
    }
    this.#cursor = this.history.length;
    this.#draft = '';
    this.candidates = [];
    if (trimmed === 'clear') {
      this.entries = [];
      return;
    }
    if (trimmed === '') return;
    this.busy = true;
    try {
      const result = (await this.#run(trimmed)) ?? { stdout: '', stderr: 'The broker is not running: the console waits for it.\n', status: 1 };
      this.#add(trimmed, result);
    } catch (error) {
      this.#add(trimmed, { stdout: '', stderr: `${error instanceof Error ? error.message : String(error)}\n`, status: 1 });
    } finally {
      this.busy = false;
    }
  }

  /** The line ↑ (older) or ↓ (newer) recalls; `typed` is kept as the draft to come back to. */
  recall(direction: -1 | 1, typed: string): string {
    if (this.#cursor === this.history.length) this.#draft = typed;
    this.#cursor = Math.min(this.history.length, Math.max(0, this.#cursor + direction));
    return this.#cursor === this.history.length ? this.#draft : this.history[this.#cursor]!;
  }

  #add(line: string, result: ConsoleResult): void {
    const cut = (text: string) => (text.length > MAX_OUTPUT ? `${text.slice(0, MAX_OUTPUT)}\n… (output cut at ${MAX_OUTPUT} characters)\n` : text);
    const entry = { id: this.#next++, line, result: { ...result, stdout: cut(result.stdout), stderr: cut(result.stderr) } };
    this.entries = [...this.entries, entry].slice(-MAX_ENTRIES);
  }
}
