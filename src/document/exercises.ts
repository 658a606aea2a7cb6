/**
 * Topic exercises a teacher pins in the Topic lab: a binding key and a routing key to try. They
 * live in the document, so they travel with it (files, share links) and undo like any edit.
 * Keys are AMQP short strings: at most 255 bytes of UTF-8 each.
 */

import { utf8Length } from './names';
import { action, done, refuse, type Action } from './result';
import type { Diagram, TopicExercise } from './types';

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

const same = (a: TopicExercise, b: TopicExercise) => a.bindingKey === b.bindingKey && a.routingKey === b.routingKey;

/** Pins a pair of keys at the end of the list; pinning one already there changes nothing. */
export function pinExercise(exercise: TopicExercise): Action {
  const copy: TopicExercise = { bindingKey: exercise.bindingKey, routingKey: exercise.routingKey };
  return action('pinExercise', 'Pin exercise', (diagram) => {
    const problem = exerciseProblem(copy);
    if (problem) return refuse(problem);
    const list = diagram.exercises ?? [];
    if (list.some((e) => same(e, copy))) return done(diagram);
    if (list.length >= MAX_EXERCISES) return refuse(`a diagram pins at most ${MAX_EXERCISES} exercises`);
    return done({ ...diagram, exercises: [...list, copy] });
  });
}

/** Unpins the exercise at `index`; the list goes away with its last exercise. */
export function unpinExercise(index: number): Action {
  return action('unpinExercise', 'Unpin exercise', (diagram) => {
    const list = diagram.exercises ?? [];
    if (!Number.isInteger(index) || index < 0 || index >= list.length) return refuse(`no exercise ${index + 1} is pinned`);
    const rest = list.filter((_, i) => i !== index);
    if (rest.length > 0) return done({ ...diagram, exercises: rest });
    const { exercises: _gone, ...without } = diagram;
    return done(without as Diagram);
  });
}
