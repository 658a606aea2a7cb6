/**
 * Asks the worker to explain, debounced and latest-wins: each change of the params waits a
 * moment (typing), and an answer to an older question is dropped.
 */

import type { ExplainParams, ExplainResult } from '../../worker/protocol';

export const DEBOUNCE_MS = 80;

export type Explain = (params: ExplainParams) => Promise<ExplainResult | null>;

export class Asker<R extends ExplainResult> {
  result = $state.raw<R | null>(null);
  /** Why there is no result: the broker is not running, or the worker refused the request. */
  problem = $state<string | null>(null);
  #asked = 0;
  readonly #explain: Explain;

  constructor(explain: Explain) {
    this.#explain = explain;
  }

  /** Asks about `params` after the debounce; returns a cancel for an $effect's teardown. */
  ask(params: ExplainParams): () => void {
    const id = ++this.#asked;
    const timer = setTimeout(() => void this.#send(params, id), DEBOUNCE_MS);
    return () => clearTimeout(timer);
  }

  async #send(params: ExplainParams, id: number): Promise<void> {
    try {
      const result = await this.#explain(params);
      if (id !== this.#asked) return;
      this.result = result as R | null;
      this.problem = result === null ? 'The broker is not running: the explanation will come when it is.' : null;
    } catch (error) {
      if (id !== this.#asked) return;
      this.problem = error instanceof Error ? error.message : String(error);
    }
  }
}
