/**
 * Pinning and unpinning Topic lab exercises (see exercises.ts), undoable like any edit. Apart
 * from the rules so that only the Topic lab and the presets, both loaded on demand, carry them.
 */

import { exerciseProblem, MAX_EXERCISES } from './exercises';
import { action, done, refuse, type Action } from './result';
import type { Diagram, TopicExercise } from './types';

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
