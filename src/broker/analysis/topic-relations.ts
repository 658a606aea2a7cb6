/**
 * Relations between two topic binding keys, decided exactly over RabbitMQ's matching rule
 * (matchTopic in ../topic.ts): is there a routing key both match (topicOverlap), and does every
 * key one matches also match the other (topicCovers)?
 *
 * Model: a binding key is a small automaton over its word positions 0..n. A literal word or "*"
 * moves one position on a key word (a literal only on itself, "*" on any, an empty one too), a "#"
 * loops on any word and can be stepped over for free, and position n accepts. Key words come
 * from an alphabet of the literal words of both binding keys plus one fresh word ("x", or another
 * one neither key uses): every word outside the literals behaves like the fresh one, so this
 * finite alphabet decides every question exactly. One wrinkle: the word sequence [""] joins to
 * the key "", which is zero words, so no routing key has it. The searches carry a flag for "the
 * key so far is exactly one empty word" and never stop there.
 *
 * Layout and cost:
 * - topicOverlap: breadth first over (position in a, position in b, flag), at most
 *   (|a|+1)·(|b|+1)·3 states, each tried with every alphabet word: O(|a|·|b|·(|a|+|b|)), exact
 *   for any length. Breadth first, so the witness is a shortest key; the fresh word goes first.
 * - topicCovers: one position of a at a time (nondeterminism is free when asking "is there a
 *   key") times the SET of b's live positions (subset construction, built on the fly), plus the
 *   flag; a counterexample is a reachable state where a accepts and b's set does not. That is
 *   O(|a|·2^|b|) states in the worst case (b = "#.a.*.*.*.*" needs every subset), so binding
 *   keys longer than MAX_WORDS words, or searches that reach MAX_STATES states, are not decided:
 *   topicCovers returns null and callers skip the pair. Real keys (a shortstr, at most two "#")
 *   stay far below both limits.
 * Every witness and counterexample is checked with matchTopic before it is returned; a failed
 * check throws, so a wrong proof never reaches a user.
 */

import { matchTopic } from '../topic';

const HASH = '#';
const STAR = '*';
/** Longer binding keys are not analysed by topicCovers (it returns null). */
export const MAX_WORDS = 64;
/** topicCovers gives up (null) once its search holds this many states. */
export const MAX_STATES = 20_000;

/** "Key so far" flags: no word yet, exactly one empty word (not a routing key), anything else. */
const NO_WORDS = 0;
const ONE_EMPTY_WORD = 1;
const OTHER = 2;

/** Whether every key `a` matches is also matched by `b`; when not, a key that shows it. */
export type TopicCoverage = { covers: true } | { covers: false; counterexample: string };

/** RabbitMQ's split: "" is zero words, otherwise split on every ".". */
function splitWords(key: string): string[] {
  return key === '' ? [] : key.split('.');
}

function isLiteral(word: string): boolean {
  return word !== HASH && word !== STAR;
}

/** The words a search tries, in order: a fresh word no key uses, then the literals as they first appear. */
function alphabetOf(a: readonly string[], b: readonly string[]): string[] {
  const literals: string[] = [];
  for (const word of [...a, ...b]) if (isLiteral(word) && !literals.includes(word)) literals.push(word);
  return [freshWord(literals), ...literals];
}

function freshWord(taken: readonly string[]): string {
  for (const word of ['x', 'y', 'z']) if (!taken.includes(word)) return word;
  let n = 1;
  while (taken.includes(`x${n}`)) n++;
  return `x${n}`;
}

function nextFlag(flag: number, word: string): number {
  return flag === NO_WORDS && word === '' ? ONE_EMPTY_WORD : OTHER;
}

/** `at` and every position after it reachable by stepping over "#" words (no key word read). */
function closure(pattern: readonly string[], at: number): number[] {
  const out = [at];
  while (at < pattern.length && pattern[at] === HASH) out.push(++at);
  return out;
}

/** Does position `at` accept (the pattern's end, possibly after trailing "#"s)? */
function accepts(pattern: readonly string[], at: number): boolean {
  return closure(pattern, at).includes(pattern.length);
}

/** Positions after reading `word` from position `at` (itself closed over "#"): none, one, or the "#" loop. */
function step(pattern: readonly string[], at: number, word: string): number[] {
  if (at >= pattern.length) return [];
  const token = pattern[at]!;
  if (token === HASH) return [at];
  return token === STAR || token === word ? [at + 1] : [];
}

/** Every position reachable from `at` by reading `word`. */
function advance(pattern: readonly string[], at: number, word: string): number[] {
  const out: number[] = [];
  for (const from of closure(pattern, at)) for (const to of step(pattern, from, word)) if (!out.includes(to)) out.push(to);
  return out;
}

/** A breadth-first search's record: each state's parent and the word that led to it. */
interface Trail {
  parent: number[];
  word: string[];
}

function keyAt(trail: Trail, state: number): string {
  const words: string[] = [];
  for (let at = state; trail.parent[at]! >= 0; at = trail.parent[at]!) words.push(trail.word[at]!);
  return words.reverse().join('.');
}

/** The defensive check: a witness that the core matcher contradicts is a bug, never an answer. */
function assertProof(ok: boolean, what: string): void {
  if (!ok) throw new Error(`topic analysis: internal error, ${what}`);
}

/**
 * A routing key that both topic binding keys match, or null when no key matches both. Exact, and
 * a shortest such key: topicOverlap('*.orange.*', 'lazy.#') is "lazy.orange.x".
 */
export function topicOverlap(a: string, b: string): string | null {
  const pa = splitWords(a);
  const pb = splitWords(b);
  const alphabet = alphabetOf(pa, pb);
  const width = pb.length + 1;
  const id = (i: number, j: number, flag: number): number => (flag * (pa.length + 1) + i) * width + j;
  const seen = new Set<number>([id(0, 0, NO_WORDS)]);
  const queue: [number, number, number][] = [[0, 0, NO_WORDS]];
  const trail: Trail = { parent: [-1], word: [''] };
  for (let head = 0; head < queue.length; head++) {
    const [i, j, flag] = queue[head]!;
    if (flag !== ONE_EMPTY_WORD && accepts(pa, i) && accepts(pb, j)) {
      const key = keyAt(trail, head);
      assertProof(matchTopic(a, key) && matchTopic(b, key), `${JSON.stringify(key)} does not match both ${JSON.stringify(a)} and ${JSON.stringify(b)}`);
      return key;
    }
    for (const word of alphabet) {
      const flag2 = nextFlag(flag, word);
      const nextB = advance(pb, j, word);
      for (const i2 of advance(pa, i, word)) {
        for (const j2 of nextB) {
          const state = id(i2, j2, flag2);
          if (seen.has(state)) continue;
          seen.add(state);
          queue.push([i2, j2, flag2]);
          trail.parent.push(head);
          trail.word.push(word);
        }
      }
    }
  }
  return null;
}

/** b's live positions after reading `word` from the set `from` (sorted, no repeats). */
function advanceSet(pattern: readonly string[], from: readonly number[], word: string): number[] {
  const out = new Set<number>();
  for (const at of from) for (const to of advance(pattern, at, word)) out.add(to);
  return [...out].sort((x, y) => x - y);
}

/**
 * Does every routing key that `a` matches also match `b`? `{ covers: true }`, or a key `a`
 * matches and `b` does not: topicCovers('a.*', 'a.#') covers, topicCovers('a.#', 'a.*') has
 * counterexample "a". Exact; null when a key is longer than MAX_WORDS words or the search
 * outgrows MAX_STATES (see the module comment): the answer is then unknown.
 */
export function topicCovers(a: string, b: string): TopicCoverage | null {
  const pa = splitWords(a);
  const pb = splitWords(b);
  if (pa.length > MAX_WORDS || pb.length > MAX_WORDS) return null;
  const alphabet = alphabetOf(pa, pb);
  const stateKey = (i: number, set: readonly number[], flag: number): string => `${flag}|${i}|${set.join(',')}`;
  const seen = new Set<string>();
  const queue: [number, number[], number][] = [];
  const trail: Trail = { parent: [], word: [] };
  const visit = (i: number, set: number[], flag: number, parent: number, word: string): void => {
    const key = stateKey(i, set, flag);
    if (seen.has(key)) return;
    seen.add(key);
    queue.push([i, set, flag]);
    trail.parent.push(parent);
    trail.word.push(word);
  };
  visit(0, [0], NO_WORDS, -1, '');
  for (let head = 0; head < queue.length; head++) {
    if (queue.length > MAX_STATES) return null;
    const [i, set, flag] = queue[head]!;
    if (flag !== ONE_EMPTY_WORD && accepts(pa, i) && !set.some((j) => accepts(pb, j))) {
      const key = keyAt(trail, head);
      assertProof(matchTopic(a, key) && !matchTopic(b, key), `${JSON.stringify(key)} is not matched by ${JSON.stringify(a)} alone (against ${JSON.stringify(b)})`);
      return { covers: false, counterexample: key };
    }
    for (const word of alphabet) {
      const nextA = advance(pa, i, word);
      if (nextA.length === 0) continue;
      // b's set may empty out: a then still matches keys b never can, which is what we look for.
      const nextB = advanceSet(pb, set, word);
      const flag2 = nextFlag(flag, word);
      for (const i2 of nextA) visit(i2, nextB, flag2, head, word);
    }
  }
  return { covers: true };
}
