/**
 * A panel's field problems: each edit goes through the gateway (`apply`), and its refusal, or a
 * parse error of the form's text, is kept by field to show next to that field. A panel is made
 * anew for each selection, so its problems never leak to another node.
 */

import type { Action } from '../../document/index';
import type { Parsed } from './fields';

export type Apply = (action: Action) => string | null;

export class Problems {
  /** The reason by field; absent when the field is fine. */
  byField = $state<Record<string, string>>({});
  /** A publish or consumer command is on its way (its buttons wait). */
  busy = $state(false);
  readonly #apply: () => Apply;

  /** `apply` is a getter, so the panel's current prop is used. */
  constructor(apply: () => Apply) {
    this.#apply = apply;
  }

  get(field: string): string | undefined {
    return this.byField[field];
  }

  set(field: string, reason: string | null): void {
    const next = { ...this.byField };
    if (reason === null) delete next[field];
    else next[field] = reason;
    this.byField = next;
  }

  /** Applies the edit; true when it was taken. */
  commit(field: string, action: Action): boolean {
    const reason = this.#apply()(action);
    this.set(field, reason);
    return reason === null;
  }

  /** Applies the edit made from parsed text, or shows why the text is not a value. */
  commitParsed<T>(field: string, parsed: Parsed<T>, make: (value: T) => Action): boolean {
    if (!parsed.ok) {
      this.set(field, parsed.reason);
      return false;
    }
    return this.commit(field, make(parsed.value));
  }
}
