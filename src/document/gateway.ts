/**
 * The gateway: the one way to change the document, in the manner of mermaid-live-editor's
 * single update function. It holds the current diagram, applies actions, keeps an undo/redo
 * history of whole diagrams (cheap, since edits share what they did not touch) and tells
 * subscribers about every change.
 *
 * Rules: a refused action changes nothing and records nothing; an action that changes nothing
 * records nothing and tells nobody; unrecorded actions (the view) never enter the history, and
 * undo/redo keep the current view; applies with the same `coalesceKey` in a row (one drag)
 * make one history entry. Listeners hear every change in order, each with its own diagram,
 * even when a listener edits the diagram itself (its change is told after the current one).
 */

import type { Action, ActionType, Result } from './result';
import type { Diagram } from './types';
import { emptyDiagram } from './diagram';

/** What just happened to the diagram, for subscribers. */
export type Change =
  | { kind: 'apply'; type: ActionType; label: string; recorded: boolean; coalesced: boolean }
  | { kind: 'undo'; label: string }
  | { kind: 'redo'; label: string }
  | { kind: 'reset' };

export type Listener = (diagram: Diagram, change: Change) => void;

export interface ApplyOptions {
  /**
   * Applies in a row with the same key become one history entry (give each drag its own key,
   * e.g. `drag-17`). Any other apply, an undo, a redo or a reset ends the run.
   */
  coalesceKey?: string;
}

export interface GatewayOptions {
  /** How many edits undo can go back (default 200); the oldest are forgotten first. */
  historyLimit?: number;
}

export interface Gateway {
  /** The current diagram. Never mutate it: change it with `apply`. */
  readonly diagram: Diagram;
  /** Performs an action on the current diagram: the new one, or the refusal (nothing changed). */
  apply(action: Action, options?: ApplyOptions): Result;
  /** Goes back one recorded edit; false when there is none. */
  undo(): boolean;
  /** Goes forward one undone edit; false when there is none. */
  redo(): boolean;
  readonly canUndo: boolean;
  readonly canRedo: boolean;
  /** The label of what `undo` would undo ("Move 3 nodes"), or null. */
  readonly undoLabel: string | null;
  readonly redoLabel: string | null;
  /** Calls `listener` after every change; returns the function that stops it. */
  subscribe(listener: Listener): () => void;
  /** Replaces the diagram (a file opened) and forgets the history. Check files with `validateDiagram` first. */
  reset(diagram: Diagram): void;
}

interface Entry {
  label: string;
  before: Diagram;
  after: Diagram;
  coalesceKey?: string;
}

export const DEFAULT_HISTORY_LIMIT = 200;

/** A gateway over `initial` (an empty diagram by default). */
export function createGateway(initial: Diagram = emptyDiagram(), options: GatewayOptions = {}): Gateway {
  const limit = Math.max(0, Math.floor(options.historyLimit ?? DEFAULT_HISTORY_LIMIT));
  let current = initial;
  let past: Entry[] = [];
  let future: Entry[] = [];
  /** The key of the run that the last apply belongs to; null once anything else happened. */
  let openRun: string | null = null;
  const listeners = new Set<Listener>();

  /** Changes waiting to be told; a listener that edits the diagram queues its change after this one. */
  const pending: [Diagram, Change][] = [];
  let telling = false;

  function notify(change: Change): void {
    pending.push([current, change]);
    if (telling) return;
    telling = true;
    let failure: { error: unknown } | null = null;
    try {
      for (let next = pending.shift(); next; next = pending.shift()) {
        const [diagram, told] = next;
        for (const listener of [...listeners]) {
          try {
            listener(diagram, told);
          } catch (error) {
            failure ??= { error };
          }
        }
      }
    } finally {
      telling = false;
    }
    if (failure) throw failure.error;
  }

  /** A history diagram with today's view: the view is not part of the history. */
  function keepView(d: Diagram): Diagram {
    if (d.view === current.view) return d;
    if (current.view === undefined) {
      const { view: _dropped, ...rest } = d;
      return rest;
    }
    return { ...d, view: current.view };
  }

  return {
    get diagram() {
      return current;
    },

    apply(action, applyOptions = {}) {
      const result = action.perform(current);
      if (!result.ok || result.diagram === current) return result;
      const before = current;
      current = result.diagram;
      let coalesced = false;
      if (action.recorded) {
        const key = applyOptions.coalesceKey;
        const last = past[past.length - 1];
        if (key !== undefined && openRun === key && last && last.coalesceKey === key) {
          last.after = current;
          coalesced = true;
        } else {
          past.push({ label: action.label, before, after: current, coalesceKey: key });
          if (past.length > limit) past = past.slice(past.length - limit);
        }
        future = [];
        openRun = key ?? null;
      }
      notify({ kind: 'apply', type: action.type, label: action.label, recorded: action.recorded, coalesced });
      return result;
    },

    undo() {
      const entry = past.pop();
      if (!entry) return false;
      future.push(entry);
      openRun = null;
      current = keepView(entry.before);
      notify({ kind: 'undo', label: entry.label });
      return true;
    },

    redo() {
      const entry = future.pop();
      if (!entry) return false;
      past.push(entry);
      openRun = null;
      current = keepView(entry.after);
      notify({ kind: 'redo', label: entry.label });
      return true;
    },

    get canUndo() {
      return past.length > 0;
    },
    get canRedo() {
      return future.length > 0;
    },
    get undoLabel() {
      return past[past.length - 1]?.label ?? null;
    },
    get redoLabel() {
      return future[future.length - 1]?.label ?? null;
    },

    subscribe(listener) {
      const own: Listener = (d, c) => listener(d, c);
      listeners.add(own);
      return () => {
        listeners.delete(own);
      };
    },

    reset(diagram) {
      current = diagram;
      past = [];
      future = [];
      openRun = null;
      notify({ kind: 'reset' });
    },
  };
}
