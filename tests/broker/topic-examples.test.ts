import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { matchTopic, topicExamples } from '../../src/broker/index';

const SEED = 20240605;

describe('topicExamples', () => {
  it('gives the tutorial keys for *.orange.*', () => {
    expect(topicExamples('*.orange.*')).toEqual({
      matching: ['quick.orange.rabbit', 'a.orange.b', '.orange.'],
      notMatching: ['orange', 'quick.orange', 'a.b.orange.c'],
    });
  });

  it('lets # take no words and several, and shows a key that starts too early', () => {
    const { matching, notMatching } = topicExamples('lazy.#');
    expect(matching).toEqual(['lazy', 'lazy.a.b', 'lazy.a']);
    expect(notMatching).toContain('a.lazy');
  });

  it('handles # at the start and in the middle', () => {
    expect(topicExamples('#.a').matching).toEqual(['a', 'a.b.a', 'a.a']);
    expect(topicExamples('a.#.b').matching).toEqual(['a.b', 'a.a.b.b', 'a.a.b']);
    expect(topicExamples('a.#.b').notMatching).toEqual(['a', 'other.b', 'a.b.z']);
  });

  it('keeps empty words, and lets * take one', () => {
    expect(topicExamples('a..b').matching).toEqual(['a..b']);
    expect(topicExamples('a.*.b').matching).toContain('a..b');
  });

  it('matches only the empty key with the empty pattern', () => {
    const { matching, notMatching } = topicExamples('');
    expect(matching).toEqual(['']);
    expect(notMatching.length).toBeGreaterThan(0);
    expect(notMatching).not.toContain('');
  });

  it('has no failing key for # alone (it matches every key)', () => {
    expect(topicExamples('#')).toEqual({ matching: ['', 'a.b', 'a'], notMatching: [] });
  });

  it('drops a * example whose only word is empty: "" is zero words', () => {
    expect(topicExamples('*').matching).toEqual(['quick', 'a']);
  });

  it('gives at most count keys of each kind', () => {
    const { matching, notMatching } = topicExamples('*.orange.*', 1);
    expect(matching).toEqual(['quick.orange.rabbit']);
    expect(notMatching).toEqual(['orange']);
  });

  it('is deterministic', () => {
    expect(topicExamples('a.*.#.b')).toEqual(topicExamples('a.*.#.b'));
  });

  it('every matching example matches and every other one does not (random patterns)', () => {
    const word = fc.constantFrom('a', 'b', '', '*', '#');
    const pattern = fc.array(word, { maxLength: 6 }).map((words) => words.join('.'));
    fc.assert(
      fc.property(pattern, fc.integer({ min: 1, max: 5 }), (bindingKey, count) => {
        const { matching, notMatching } = topicExamples(bindingKey, count);
        expect(matching.length).toBeGreaterThan(0);
        expect(matching.length).toBeLessThanOrEqual(count);
        expect(notMatching.length).toBeLessThanOrEqual(count);
        for (const key of matching) expect(matchTopic(bindingKey, key), `${bindingKey} / ${key}`).toBe(true);
        for (const key of notMatching) expect(matchTopic(bindingKey, key), `${bindingKey} / ${key}`).toBe(false);
        expect(new Set(matching).size).toBe(matching.length);
        expect(new Set(notMatching).size).toBe(notMatching.length);
      }),
      { seed: SEED, numRuns: 500 },
    );
  });
});
