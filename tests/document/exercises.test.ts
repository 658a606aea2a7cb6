import { describe, expect, it } from 'vitest';
import { MAX_EXERCISES, createGateway, unwrap, validateDiagram, type Diagram } from '../../src/document/index';
import { pinExercise, unpinExercise } from '../../src/document/exercise-actions';

const empty = (): Diagram => ({ version: 1, nodes: [], bindings: [] });

describe('pinned Topic lab exercises', () => {
  it('pins pairs of keys in order, once each, and unpins them', () => {
    let d = unwrap(pinExercise({ bindingKey: '*.orange.*', routingKey: 'quick.orange.rabbit' }), empty());
    d = unwrap(pinExercise({ bindingKey: 'lazy.#', routingKey: 'lazy' }), d);
    d = unwrap(pinExercise({ bindingKey: 'lazy.#', routingKey: 'lazy' }), d);
    expect(d.exercises).toEqual([
      { bindingKey: '*.orange.*', routingKey: 'quick.orange.rabbit' },
      { bindingKey: 'lazy.#', routingKey: 'lazy' },
    ]);
    expect(validateDiagram(d)).toEqual([]);
    d = unwrap(unpinExercise(0), d);
    expect(d.exercises).toEqual([{ bindingKey: 'lazy.#', routingKey: 'lazy' }]);
    d = unwrap(unpinExercise(0), d);
    expect('exercises' in d).toBe(false);
    expect(unpinExercise(0).perform(d)).toEqual({ ok: false, reason: 'no exercise 1 is pinned' });
  });

  it('refuses keys longer than an AMQP short string, and more than the cap', () => {
    expect(pinExercise({ bindingKey: 'é'.repeat(128), routingKey: 'a' }).perform(empty())).toEqual({ ok: false, reason: "an exercise's keys are at most 255 bytes each" });
    let d = empty();
    for (let i = 0; i < MAX_EXERCISES; i++) d = unwrap(pinExercise({ bindingKey: `k${i}`, routingKey: 'a' }), d);
    expect(pinExercise({ bindingKey: 'one.more', routingKey: 'a' }).perform(d).ok).toBe(false);
  });

  it('are checked when a diagram comes from outside', () => {
    expect(validateDiagram({ ...empty(), exercises: [{ bindingKey: 1 }] } as unknown as Diagram)).toEqual(['an exercise has a bindingKey and a routingKey (text)']);
    expect(validateDiagram({ ...empty(), exercises: 'x' } as unknown as Diagram)).toEqual(['exercises are a list']);
  });

  it('undo like any edit', () => {
    const gateway = createGateway(empty());
    gateway.apply(pinExercise({ bindingKey: 'a.*', routingKey: 'a.b' }));
    expect(gateway.diagram.exercises).toHaveLength(1);
    gateway.undo();
    expect(gateway.diagram.exercises).toBeUndefined();
  });
});
