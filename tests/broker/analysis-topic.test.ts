/**
 * Relations between topic binding keys (topicOverlap, topicCovers): worked cases, the one key no
 * routing key can be ([""]), seeded property tests against matchTopic on random keys, and an
 * exhaustive cross-check against brute force over every short key.
 */

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MAX_WORDS, topicCovers, topicOverlap } from '../../src/broker/analysis/topic-relations';
import { matchTopic } from '../../src/broker/topic';

const SEED = 42;

/** Asserts `key` is a witness for both patterns, and returns it. */
function expectOverlap(a: string, b: string): string {
  const key = topicOverlap(a, b);
  expect(key, `${a} / ${b}`).not.toBeNull();
  expect(matchTopic(a, key!)).toBe(true);
  expect(matchTopic(b, key!)).toBe(true);
  return key!;
}

function counterexample(a: string, b: string): string {
  const result = topicCovers(a, b);
  expect(result?.covers, `${a} in ${b}`).toBe(false);
  const key = (result as { counterexample: string }).counterexample;
  expect(matchTopic(a, key)).toBe(true);
  expect(matchTopic(b, key)).toBe(false);
  return key;
}

describe('topicOverlap', () => {
  it('finds the tutorial key both bindings take', () => {
    expect(expectOverlap('*.orange.*', 'lazy.#')).toBe('lazy.orange.x');
    expect(expectOverlap('*.orange.*', '*.*.rabbit')).toBe('x.orange.rabbit');
    expect(expectOverlap('a.#', '#.b')).toBe('a.b');
  });

  it('is null when no key matches both', () => {
    expect(topicOverlap('a', 'b')).toBeNull();
    expect(topicOverlap('*.orange.*', '*.*')).toBeNull();
    expect(topicOverlap('a.#', 'b.#')).toBeNull();
    expect(topicOverlap('', '*')).toBeNull();
  });

  it('gives the empty key when that is the shortest one', () => {
    expect(topicOverlap('', '#')).toBe('');
    expect(topicOverlap('#', '#.#')).toBe('');
  });

  it('keeps empty words, and lets "*" take one', () => {
    expect(expectOverlap('a..b', 'a.*.b')).toBe('a..b');
    expect(expectOverlap('.', '*.*')).toBe('.');
  });

  it('never answers [""]: that key is "", zero words', () => {
    // "#." needs a last word "" and "*" exactly one word: only [""] would do, and it is no key.
    expect(topicOverlap('#.', '*')).toBeNull();
    // With room for a second word there is a real key.
    expect(expectOverlap('#.', '*.#')).toBe('x.');
  });

  it('picks a fresh word neither key uses', () => {
    const key = expectOverlap('x.y.z.*', '*.*.*.*');
    expect(key.split('.')[3]).not.toMatch(/^[xyz]$/);
  });

  it('treats "a*" and "##" as literal words, as RabbitMQ does', () => {
    expect(topicOverlap('a*', 'ab')).toBeNull();
    expect(expectOverlap('##', '*')).toBe('##');
  });

  it('decides long keys too (polynomial)', () => {
    const long = Array.from({ length: 100 }, () => 'a').join('.');
    expect(expectOverlap(`${long}.#`, `#.${long}`)).toBe(long);
  });
});

describe('topicCovers', () => {
  it('says when every key of one matches the other', () => {
    expect(topicCovers('a.*', 'a.#')).toEqual({ covers: true });
    expect(topicCovers('*.orange.*', '#')).toEqual({ covers: true });
    expect(topicCovers('a.b', 'a.b')).toEqual({ covers: true });
    expect(topicCovers('a.b.c', '*.#.c')).toEqual({ covers: true });
  });

  it('gives a shortest counterexample otherwise', () => {
    expect(counterexample('a.#', 'a.*')).toBe('a');
    expect(counterexample('#', 'a.#')).toBe('');
    expect(counterexample('*.b', 'a.*')).toBe('x.b');
    expect(counterexample('#.a.#', 'a.#')).toBe('x.a');
  });

  it('knows "#.#" and "#" match the same keys', () => {
    expect(topicCovers('#.#', '#')).toEqual({ covers: true });
    expect(topicCovers('#', '#.#')).toEqual({ covers: true });
    expect(topicCovers('a.#.#.b', 'a.#.b')).toEqual({ covers: true });
  });

  it('does not count [""] as a key', () => {
    // The keys of "#." are [""] (no key) and two or more words ending in "": all matched by "*.*.#".
    expect(topicCovers('#.', '*.*.#')).toEqual({ covers: true });
    // "*" matches one word; the only one-word key "#." could also match is [""].
    expect(counterexample('*', '#.')).toBe('x');
  });

  it('does not decide keys longer than MAX_WORDS words, or searches too large', () => {
    const long = Array.from({ length: MAX_WORDS + 1 }, () => 'a').join('.');
    expect(topicCovers(long, '#')).toBeNull();
    // "#.a.*.*..." needs every subset of its positions: the search gives up rather than blow up.
    const wide = `#.a.${Array.from({ length: 20 }, () => '*').join('.')}`;
    expect(topicCovers(wide, wide)).toBeNull();
  });
});

// ---------------------------------------------------------------------------------------------
// Random patterns and keys
// ---------------------------------------------------------------------------------------------

const pattern = fc.array(fc.constantFrom('a', 'b', '', '*', '#'), { maxLength: 5 }).map((words) => words.join('.'));
const key = fc.array(fc.constantFrom('a', 'b', '', 'x', 'c'), { maxLength: 6 }).map((words) => words.join('.'));
const keys = fc.array(key, { minLength: 20, maxLength: 40 });

describe('topic relations against random keys', () => {
  it('every overlap witness matches both patterns', () => {
    fc.assert(
      fc.property(pattern, pattern, (a, b) => {
        const found = topicOverlap(a, b);
        if (found !== null) expect(matchTopic(a, found) && matchTopic(b, found)).toBe(true);
      }),
      { seed: SEED, numRuns: 500 },
    );
  });

  it('when there is no overlap, no random key matches both', () => {
    fc.assert(
      fc.property(pattern, pattern, keys, (a, b, sample) => {
        if (topicOverlap(a, b) !== null) return;
        for (const k of sample) expect(matchTopic(a, k) && matchTopic(b, k), `${a} / ${b} / ${k}`).toBe(false);
      }),
      { seed: SEED, numRuns: 500 },
    );
  });

  it('covers: no random key matches a without b; otherwise the counterexample does', () => {
    fc.assert(
      fc.property(pattern, pattern, keys, (a, b, sample) => {
        const result = topicCovers(a, b);
        expect(result).not.toBeNull();
        if (result!.covers) {
          for (const k of sample) if (matchTopic(a, k)) expect(matchTopic(b, k), `${a} in ${b} / ${k}`).toBe(true);
        } else {
          expect(matchTopic(a, result!.counterexample)).toBe(true);
          expect(matchTopic(b, result!.counterexample)).toBe(false);
        }
      }),
      { seed: SEED, numRuns: 500 },
    );
  });

  it('a pattern covers itself and overlaps itself (every pattern matches some key)', () => {
    fc.assert(
      fc.property(pattern, (a) => {
        expect(topicCovers(a, a)).toEqual({ covers: true });
        expect(topicOverlap(a, a)).not.toBeNull();
      }),
      { seed: SEED, numRuns: 300 },
    );
  });
});

// ---------------------------------------------------------------------------------------------
// Brute force: every pattern of up to 3 words against every key of up to 4 words
// ---------------------------------------------------------------------------------------------

/** Every word sequence of 0..maxLength words over `alphabet`, joined into keys (distinct). */
function allKeys(alphabet: readonly string[], maxLength: number): string[] {
  const out = new Set<string>();
  const grow = (words: string[]): void => {
    out.add(words.join('.'));
    if (words.length < maxLength) for (const word of alphabet) grow([...words, word]);
  };
  grow([]);
  return [...out];
}

describe('topic relations against brute force', () => {
  it('agree on every pair of patterns of up to 3 words (keys of up to 4 words over a, b, "", x)', () => {
    const patterns = allKeys(['a', 'b', '', '*', '#'], 3);
    const shortKeys = allKeys(['a', 'b', '', 'x'], 4);
    const matches = new Map(patterns.map((p) => [p, shortKeys.map((k) => matchTopic(p, k))]));
    let pairs = 0;
    for (const a of patterns) {
      const ma = matches.get(a)!;
      for (const b of patterns) {
        const mb = matches.get(b)!;
        const bruteOverlap = ma.some((m, i) => m && mb[i]);
        const bruteCovers = ma.every((m, i) => !m || mb[i]);
        expect(topicOverlap(a, b) !== null, `overlap ${JSON.stringify(a)} ${JSON.stringify(b)}`).toBe(bruteOverlap);
        expect(topicCovers(a, b)?.covers, `covers ${JSON.stringify(a)} ${JSON.stringify(b)}`).toBe(bruteCovers);
        pairs++;
      }
    }
    expect(pairs).toBe(patterns.length ** 2);
  });
});
