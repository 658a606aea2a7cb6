/**
 * What an edit is and what it answers. An action is a named, pure step from one diagram to the
 * next, with a label for undo menus; it either gives the new diagram or refuses with a reason
 * a person can read. Nothing is thrown for a refusal, unless a caller asks (`unwrap`).
 */

import type { Diagram } from './types';

/** The answer of an edit: the new diagram, or why it was refused (nothing changed). */
export type Result = { ok: true; diagram: Diagram; created?: readonly string[] } | { ok: false; reason: string };

/** The names of the actions, for code that reacts to certain edits. */
export type ActionType =
  | 'addNode'
  | 'addNodes'
  | 'moveNodes'
  | 'updateNode'
  | 'renameNode'
  | 'removeNodes'
  | 'addBinding'
  | 'updateBinding'
  | 'removeBindings'
  | 'linkProducer'
  | 'linkConsumer'
  | 'connect'
  | 'paste'
  | 'setView'
  | 'pinExercise'
  | 'unpinExercise'
  | 'batch';

/** One edit: `perform` is pure (same diagram in, same answer out) and never mutates its input. */
export interface Action {
  readonly type: ActionType;
  /** A short human label ("Add queue", "Move 3 nodes") for undo and redo menus. */
  readonly label: string;
  /** False for edits not worth undoing (panning and zooming the view): the history skips them. */
  readonly recorded: boolean;
  /**
   * The new diagram (the same object when nothing changed), with `created` listing the ids of
   * new elements; or a refusal with its reason.
   */
  perform(diagram: Diagram): Result;
}

/** Thrown by `unwrap` when an edit was refused. */
export class EditRefused extends Error {
  override readonly name = 'EditRefused';
  /** The action's label. */
  readonly action: string;
  readonly reason: string;

  constructor(action: string, reason: string) {
    super(`${action}: ${reason}`);
    this.action = action;
    this.reason = reason;
  }
}

/** Performs an action and returns its diagram, or throws `EditRefused`. */
export function unwrap(action: Action, diagram: Diagram): Diagram {
  const result = action.perform(diagram);
  if (!result.ok) throw new EditRefused(action.label, result.reason);
  return result.diagram;
}

/** A refusal. */
export function refuse(reason: string): Result {
  return { ok: false, reason };
}

/** A success. */
export function done(diagram: Diagram, created?: readonly string[]): Result {
  return created && created.length > 0 ? { ok: true, diagram, created } : { ok: true, diagram };
}

/** Builds an action from its parts. */
export function action(type: ActionType, label: string, perform: (diagram: Diagram) => Result, recorded = true): Action {
  return Object.freeze({ type, label, recorded, perform });
}
