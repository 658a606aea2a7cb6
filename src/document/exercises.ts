/**
 * Topic exercises a teacher pins in the Topic lab: a binding key and a routing key to try. They
 * live in the document, so they travel with it (files, share links) and undo like any edit.
 * Keys are AMQP short strings: at most 255 bytes of UTF-8 each. The edits that pin and unpin
 * them are in exercise-actions.ts, loaded with the Topic lab.
 */

import { utf8Length } from './names';

export const MAX_EXERCISES = 50;
const MAX_KEY_BYTES = 255;

/** Why an exercise is not acceptable, or null. */
export function exerciseProblem(exercise: unknown): string | null {
  if (typeof exercise !== 'object' || exercise === null || Array.isArray(exercise)) return 'an exercise is { bindingKey, routingKey }';
  const { bindingKey, routingKey } = exercise as Record<string, unknown>;
  if (typeof bindingKey !== 'string' || typeof routingKey !== 'string') return 'an exercise has a bindingKey and a routingKey (text)';
  if (utf8Length(bindingKey) > MAX_KEY_BYTES || utf8Length(routingKey) > MAX_KEY_BYTES) return `an exercise's keys are at most ${MAX_KEY_BYTES} bytes each`;
  return null;
}

/** Why a diagram's list of exercises is not acceptable, or null. */
export function exercisesProblem(exercises: unknown): string | null {
  if (!Array.isArray(exercises)) return 'exercises are a list';
  if (exercises.length > MAX_EXERCISES) return `a diagram pins at most ${MAX_EXERCISES} exercises`;
  for (const e of exercises) {
    const problem = exerciseProblem(e);
    if (problem) return problem;
  }
  return null;
}
