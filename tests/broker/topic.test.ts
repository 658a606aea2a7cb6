/**
 * The topic matcher against RabbitMQ's own expectations (vectors.json `topic` and
 * `topicBindingValidation`), against an obviously correct recursive reading of the rule (seeded
 * property tests), and the explanations a trace shows.
 */

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { explainTopic, matchTopic, TopicTrie, validateTopicBindingKey, type TopicExplanation } from '../../src/broker/topic';
import { loadVectors } from './support/reference';

interface TopicVector {
  binding: string;
  routingKey: string;
  match: boolean;
  group: string;
  refusedSince?: string;
}

interface ValidationVector {
  binding: string;
  acceptedIn4_3_6: boolean;
}

const vectors = loadVectors() as { topic: TopicVector[]; topicBindingValidation: ValidationVector[] };
const topicVectors = vectors.topic;

// ---------------------------------------------------------------------------------------------
// A reference matcher: the rule read directly, recursively (exponential, fine for tiny inputs).
// ---------------------------------------------------------------------------------------------

function words(key: string): string[] {
  return key === '' ? [] : key.split('.');
}

function referenceMatch(pattern: readonly string[], key: readonly string[]): boolean {
  if (pattern.length === 0) return key.length === 0;
  const [head, ...rest] = pattern;
  if (head === '#') return referenceMatch(rest, key) || (key.length > 0 && referenceMatch(pattern, key.slice(1)));
  return key.length > 0 && (head === '*' || head === key[0]) && referenceMatch(rest, key.slice(1));
}

const matchesByReference = (bindingKey: string, routingKey: string) => referenceMatch(words(bindingKey), words(routingKey));

/** Binding values compared by identity, named by their key for readable failures. */
interface Bound {
  key: string;
}

function matched<T>(trie: TopicTrie<T>, routingKey: string): Set<T> {
  const out = new Set<T>();
  trie.match(routingKey, out);
  return out;
}

const keysOf = (set: Set<Bound>) => [...set].map((b) => b.key).sort();

const show = (text: string) => JSON.stringify(text);

// ---------------------------------------------------------------------------------------------
// RabbitMQ's vectors
// ---------------------------------------------------------------------------------------------

describe('topic vectors (vectors.json)', () => {
  it('has the 560 vectors this file expects', () => {
    expect(topicVectors).toHaveLength(560);
  });

  it.each(topicVectors.map((v) => [`${show(v.binding)} ~ ${show(v.routingKey)} -> ${v.match}`, v] as const))(
    '%s',
    (_title, v) => {
      expect(matchTopic(v.binding, v.routingKey)).toBe(v.match);
      expect(explainTopic(v.binding, v.routingKey).matched).toBe(v.match);
    },
  );

  const groups = [...new Set(topicVectors.map((v) => v.group))];
  it.each(groups)('one trie holding every binding of %s returns exactly the matching ones', (group) => {
    expectTrieAgrees(topicVectors.filter((v) => v.group === group));
  });

  it('one trie holding every binding of every group returns exactly the matching ones', () => {
    expectTrieAgrees(topicVectors);
  });

  it('refuses exactly the bindings marked refusedSince 4.3.6', () => {
    for (const v of topicVectors) {
      expect(validateTopicBindingKey(v.binding) === null, v.binding).toBe(v.refusedSince === undefined);
    }
  });
});

/** Binds every distinct binding key of `group` in one trie; each key must return exactly the matching bindings. */
function expectTrieAgrees(group: readonly TopicVector[]): void {
  const trie = new TopicTrie<Bound>();
  const bound = new Map<string, Bound>();
  for (const v of group) {
    if (bound.has(v.binding)) continue;
    const value = { key: v.binding };
    bound.set(v.binding, value);
    trie.add(v.binding, value);
  }
  expect(trie.size).toBe(bound.size);
  for (const routingKey of new Set(group.map((v) => v.routingKey))) {
    const got = matched(trie, routingKey);
    const expected = [...bound.values()].filter((b) => matchTopic(b.key, routingKey));
    expect(keysOf(got), `routing key ${show(routingKey)}`).toEqual(keysOf(new Set(expected)));
  }
  for (const v of group) {
    expect(matched(trie, v.routingKey).has(bound.get(v.binding)!), `${show(v.binding)} ~ ${show(v.routingKey)}`).toBe(v.match);
  }
}

describe('topic binding validation (vectors.json topicBindingValidation)', () => {
  // Texts as RabbitMQ 4.3.6 sends them after 'PRECONDITION_FAILED - '.
  const refusals: Record<string, string> = {
    '#.#.#': "Topic binding key '#.#.#' uses 3 '#' wildcards, at most 2 are allowed",
    '#.*.#.*.#': "Topic binding key '#.*.#.*.#' uses 3 '#' wildcards, at most 2 are allowed",
    'a.#.b.#.c.#': "Topic binding key 'a.#.b.#.c.#' uses 3 '#' wildcards, at most 2 are allowed",
    '#.#.#.#': "Topic binding key '#.#.#.#' uses 4 '#' wildcards, at most 2 are allowed",
  };

  it.each(vectors.topicBindingValidation.map((v) => [show(v.binding).slice(0, 40), v] as const))('%s', (_title, v) => {
    const text = validateTopicBindingKey(v.binding);
    if (v.acceptedIn4_3_6) {
      expect(text).toBeNull();
    } else {
      const hashes = v.binding.split('.').filter((w) => w === '#').length;
      expect(text).toBe(refusals[v.binding] ?? `Topic binding key '${v.binding}' uses ${hashes} '#' wildcards, at most 2 are allowed`);
    }
  });

  it('refuses the 255-byte key of 128 "#" words with the full count', () => {
    const key = Array(128).fill('#').join('.');
    expect(validateTopicBindingKey(key)).toBe(`Topic binding key '${key}' uses 128 '#' wildcards, at most 2 are allowed`);
  });

  it('quotes a non-ASCII key as it is (observed on 4.3.6)', () => {
    expect(validateTopicBindingKey('é.#.#.#')).toBe("Topic binding key 'é.#.#.#' uses 3 '#' wildcards, at most 2 are allowed");
  });

  it('counts only whole "#" words, empty words between them included', () => {
    expect(validateTopicBindingKey('#..#')).toBeNull();
    expect(validateTopicBindingKey('##.#.#')).toBeNull();
    expect(validateTopicBindingKey('# .#.#')).toBeNull();
    expect(validateTopicBindingKey('#..#.#')).toBe("Topic binding key '#..#.#' uses 3 '#' wildcards, at most 2 are allowed");
  });
});

// ---------------------------------------------------------------------------------------------
// Properties against the reference
// ---------------------------------------------------------------------------------------------

/** Words over a tiny alphabet: literals, the empty word, and both wildcards. */
const patternWord = fc.constantFrom('a', 'b', '', '*', '#');
/** A key's words may be "*" or "#" too: in a routing key they are literal. */
const keyWord = fc.constantFrom('a', 'b', '', '*', '#', 'a');
const patternKey = fc.array(patternWord, { maxLength: 6 }).map((ws) => ws.join('.'));
const routingKey = fc.array(keyWord, { maxLength: 7 }).map((ws) => ws.join('.'));

describe('topic matching agrees with the reference reading of the rule', () => {
  it('matchTopic and explainTopic', () => {
    fc.assert(
      fc.property(patternKey, routingKey, (p, k) => {
        const expected = matchesByReference(p, k);
        expect(matchTopic(p, k)).toBe(expected);
        expect(explainTopic(p, k).matched).toBe(expected);
      }),
      { seed: 42, numRuns: 5000 },
    );
  });

  it('a trie holding many patterns returns exactly the matching ones', () => {
    fc.assert(
      fc.property(fc.array(patternKey, { maxLength: 20 }), fc.array(routingKey, { minLength: 1, maxLength: 10 }), (patterns, keys) => {
        const trie = new TopicTrie<Bound>();
        const values = patterns.map((key) => ({ key }));
        for (const v of values) trie.add(v.key, v);
        expect(trie.size).toBe(values.length);
        for (const k of keys) {
          const got = matched(trie, k);
          const expected = values.filter((v) => matchesByReference(v.key, k));
          expect(got.size).toBe(expected.length);
          for (const v of expected) expect(got.has(v)).toBe(true);
        }
      }),
      { seed: 42, numRuns: 2000 },
    );
  });

  it('add/remove sequences leave the trie matching exactly the live bindings', () => {
    const command = fc.record({ add: fc.boolean(), pattern: fc.integer({ min: 0, max: 5 }), value: fc.integer({ min: 0, max: 3 }) });
    fc.assert(
      fc.property(fc.array(patternKey, { minLength: 6, maxLength: 6 }), fc.array(command, { maxLength: 40 }), fc.array(routingKey, { minLength: 1, maxLength: 6 }), (patterns, commands, keys) => {
        const trie = new TopicTrie<Bound>();
        const values = [0, 1, 2, 3].map((i) => ({ key: `value ${i}` }));
        const live = new Map<string, { pattern: string; value: Bound }>();
        for (const c of commands) {
          const pattern = patterns[c.pattern]!;
          const value = values[c.value]!;
          const id = `${c.value}|${pattern}`;
          if (c.add) {
            trie.add(pattern, value);
            live.set(id, { pattern, value });
          } else {
            expect(trie.remove(pattern, value)).toBe(live.delete(id));
          }
          expect(trie.size).toBe(live.size);
        }
        for (const k of keys) {
          const expected = new Set([...live.values()].filter((b) => matchesByReference(b.pattern, k)).map((b) => b.value));
          expect(keysOf(matched(trie, k))).toEqual(keysOf(expected));
        }
        for (const { pattern, value } of live.values()) expect(trie.remove(pattern, value)).toBe(true);
        expect(trie.size).toBe(0);
        expectPruned(trie);
      }),
      { seed: 42, numRuns: 2000 },
    );
  });

  it("explainTopic's steps are a consistent alignment", () => {
    fc.assert(
      fc.property(patternKey, routingKey, (p, k) => {
        expectConsistentSteps(explainTopic(p, k));
      }),
      { seed: 42, numRuns: 5000 },
    );
  });
});

/** White-box: once every binding is gone the trie holds no nodes and no words. */
function expectPruned(trie: TopicTrie<Bound>): void {
  const inside = trie as unknown as { root: { isEmpty(): boolean }; words: { ids: Map<string, number> } };
  expect(inside.root.isEmpty()).toBe(true);
  expect(inside.words.ids.size).toBe(0);
}

/**
 * Steps run over the pattern in order from its first word and over the key contiguously from its
 * first word; each ok step took what its kind allows. Matched: every pattern word has a step, all
 * ok, and together they take the whole key. Not matched: only the last step may fail.
 */
function expectConsistentSteps(e: TopicExplanation): void {
  const { steps, patternWords, keyWords } = e;
  let keyAt = 0;
  steps.forEach((step, i) => {
    expect(step.patternIndex).toBe(i);
    expect(step.kind).toBe(patternWords[i] === '#' ? 'hash' : patternWords[i] === '*' ? 'star' : 'literal');
    expect(step.keyStart).toBe(keyAt);
    expect(step.keyEnd).toBeGreaterThanOrEqual(step.keyStart);
    expect(step.keyEnd).toBeLessThanOrEqual(keyWords.length);
    if (step.ok) {
      if (step.kind !== 'hash') expect(step.keyEnd - step.keyStart).toBe(1);
      if (step.kind === 'literal') expect(keyWords[step.keyStart]).toBe(patternWords[i]);
    } else {
      expect(i).toBe(steps.length - 1);
    }
    keyAt = step.keyEnd;
  });
  expect(e.reason.length).toBeGreaterThan(0);
  if (e.matched) {
    expect(steps).toHaveLength(patternWords.length);
    expect(steps.every((s) => s.ok)).toBe(true);
    expect(keyAt).toBe(keyWords.length);
  } else {
    expect(steps.length).toBeLessThanOrEqual(patternWords.length);
  }
}

// ---------------------------------------------------------------------------------------------
// Words, the trie's own behaviour, and cost
// ---------------------------------------------------------------------------------------------

describe('topic words', () => {
  it('splits like RabbitMQ: "" is zero words, every "." separates, empty words count', () => {
    expect(explainTopic('', '').keyWords).toEqual([]);
    expect(explainTopic('', 'a..b').keyWords).toEqual(['a', '', 'b']);
    expect(explainTopic('', '.').keyWords).toEqual(['', '']);
    expect(explainTopic('', 'a.').keyWords).toEqual(['a', '']);
    expect(explainTopic('', '.a').keyWords).toEqual(['', 'a']);
  });

  it('"#" alone matches every key, "" included; "*" needs exactly one word, empty or not', () => {
    for (const key of ['', '.', 'a', 'a.b.c', '..']) expect(matchTopic('#', key)).toBe(true);
    expect(matchTopic('*', '')).toBe(false);
    expect(matchTopic('*', 'a')).toBe(true);
    expect(matchTopic('*', '.')).toBe(false);
    expect(matchTopic('*.*', '.')).toBe(true);
  });
});

describe('TopicTrie', () => {
  it('adding the same (key, value) twice is a no-op; equal-looking values are distinct', () => {
    const trie = new TopicTrie<Bound>();
    const a = { key: 'q' };
    const b = { key: 'q' };
    trie.add('a.*', a);
    trie.add('a.*', a);
    trie.add('a.*', b);
    expect(trie.size).toBe(2);
    expect(matched(trie, 'a.x')).toEqual(new Set([a, b]));
    expect(trie.remove('a.*', a)).toBe(true);
    expect(trie.remove('a.*', a)).toBe(false);
    expect(matched(trie, 'a.x')).toEqual(new Set([b]));
  });

  it('gives a value bound by two matching keys once', () => {
    const trie = new TopicTrie<Bound>();
    const q = { key: 'q' };
    trie.add('#', q);
    trie.add('a.#', q);
    trie.add('#.#', q);
    const out = new Set<Bound>();
    trie.match('a.b', out);
    expect([...out]).toEqual([q]);
  });

  it('adds to what `out` already holds', () => {
    const trie = new TopicTrie<string>();
    trie.add('a', 'from a');
    const out = new Set(['earlier']);
    trie.match('a', out);
    expect([...out]).toEqual(['earlier', 'from a']);
  });

  it('the empty binding key takes only the empty routing key', () => {
    const trie = new TopicTrie<string>();
    trie.add('', 'empty');
    expect(matched(trie, '')).toEqual(new Set(['empty']));
    expect(matched(trie, '.').size).toBe(0);
    expect(matched(trie, 'a').size).toBe(0);
  });

  it('treats "*" and "#" in a routing key as words, and "a*" or "##" in a binding key as literals', () => {
    const trie = new TopicTrie<string>();
    trie.add('a*.b', 'a*');
    trie.add('##', '##');
    expect(matched(trie, 'ab.b').size).toBe(0);
    expect(matched(trie, 'a*.b')).toEqual(new Set(['a*']));
    expect(matched(trie, 'a').size).toBe(0);
    expect(matched(trie, '##')).toEqual(new Set(['##']));
  });

  it('removing a key that was never bound changes nothing', () => {
    const trie = new TopicTrie<string>();
    trie.add('a.b', 'x');
    expect(trie.remove('a.c', 'x')).toBe(false);
    expect(trie.remove('a', 'x')).toBe(false);
    expect(trie.remove('a.b', 'y')).toBe(false);
    expect(trie.size).toBe(1);
    expect(matched(trie, 'a.b')).toEqual(new Set(['x']));
  });

  it('stays polynomial with many "#" (bindings older releases accepted)', () => {
    const pattern = Array(40).fill('#.*').join('.');
    const longKey = Array(200).fill('w').join('.');
    const trie = new TopicTrie<string>();
    trie.add(pattern, 'p');
    trie.add(Array(30).fill('#').join('.'), 'hashes');
    const started = performance.now();
    expect(matched(trie, longKey)).toEqual(new Set(['p', 'hashes']));
    expect(matched(trie, Array(39).fill('w').join('.'))).toEqual(new Set(['hashes']));
    expect(matchTopic(pattern, longKey)).toBe(true);
    expect(matchTopic(`${pattern}.x`, longKey)).toBe(false);
    expect(explainTopic(`${pattern}.x`, longKey).matched).toBe(false);
    expect(performance.now() - started).toBeLessThan(2000);
  });
});

// ---------------------------------------------------------------------------------------------
// Explanations that read well
// ---------------------------------------------------------------------------------------------

describe('explainTopic reasons', () => {
  it.each([
    ['*.#.eu', 'a.eu', true, `'*' took "a", '#' took nothing, "eu" matched "eu"`],
    ['a.*.b', 'a..b', true, `"a" matched "a", '*' took "", "b" matched "b"`],
    ['#', 'a.b.c', true, `'#' took "a.b.c" (3 words)`],
    ['x.#.a.#.c', 'x.q.r.a.s.c', true, `"x" matched "x", '#' took "q.r" (2 words), "a" matched "a", '#' took "s", "c" matched "c"`],
    ['', '', true, 'the empty binding key matches the empty routing key'],
    ['a.b.c', 'a.b.c.d', false, 'the binding key needs 3 words and "a.b.c.d" has 4'],
    ['*', '.', false, 'the binding key needs 1 word and "." has 2'],
    ['#.*', '', false, 'the binding key needs at least 1 word and "" has 0'],
    ['', 'a', false, 'the empty binding key matches only the empty routing key, and "a" has 1 word'],
    ['orders.eu', 'orders.us', false, 'word 2: binding wants "eu", key has "us"'],
    ['#.c', 'a.d', false, 'word 2 (last): binding wants "c", key has "d"'],
    ['#.b.c', 'x.y.q.c', false, 'word 3 (2nd from the end): binding wants "b", key has "q"'],
    ['#.a.#', 'b.c', false, `the part "a" between '#' wildcards is not in "b.c"`],
    ['a.#.x.y.#.b', 'a.c.x.z.b', false, `the part "x.y" between '#' wildcards is not in "c.x.z" (key words 2-4)`],
    ['#.a.#.b.#', 'b.a', false, `no words are left for the part "b" between '#' wildcards`],
  ])('%s ~ %s', (bindingKey, key, isMatch, reason) => {
    const e = explainTopic(bindingKey, key);
    expect(e.matched).toBe(isMatch);
    expect(e.reason).toBe(reason);
  });

  it('summarises long matched alignments', () => {
    const e = explainTopic('a.*.c.*.e.*.g.*.i.*.k.*.m.*.o.*.q.*.s.*.u.*.w.*.y.*.#', 'a.b.c.d.e.f.g.h.i.j.k.l.m.n.o.p.q.r.s.t.u.v.w.x.y.z');
    expect(e.reason).toBe(`all 27 binding words line up with the key's 26 words, '#' took nothing`);
  });

  it('gives the steps of a typical match and of a failure', () => {
    expect(explainTopic('*.#.eu', 'a.b.eu').steps).toEqual([
      { patternIndex: 0, kind: 'star', keyStart: 0, keyEnd: 1, ok: true },
      { patternIndex: 1, kind: 'hash', keyStart: 1, keyEnd: 2, ok: true },
      { patternIndex: 2, kind: 'literal', keyStart: 2, keyEnd: 3, ok: true },
    ]);
    expect(explainTopic('orders.eu.*', 'orders.us.x').steps).toEqual([
      { patternIndex: 0, kind: 'literal', keyStart: 0, keyEnd: 1, ok: true },
      { patternIndex: 1, kind: 'literal', keyStart: 1, keyEnd: 2, ok: false },
    ]);
  });
});
