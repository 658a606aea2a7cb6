/**
 * Example routing keys for a topic binding key, for the Topic lab: some that match and some that
 * do not, derived from the pattern's words and each checked with matchTopic (a candidate that does
 * not verify is dropped, so the lists are never wrong, only sometimes shorter).
 *
 * Deterministic: the same pattern always gives the same keys, in the same order.
 */

import { matchTopic } from './topic';

/** Words a `*` takes in the first, most readable example (the RabbitMQ tutorial's). */
const STORY_WORDS = ['quick', 'rabbit', 'brown', 'fox', 'lazy', 'dog'];
const DEFAULT_COUNT = 3;

export interface TopicExamples {
  matching: string[];
  notMatching: string[];
}

/** RabbitMQ's split: "" is zero words, otherwise split on every ".". */
function splitWords(key: string): string[] {
  return key === '' ? [] : key.split('.');
}

/** Fresh filler words a, b, c, ... (then w26, w27, ...). */
function letters(): () => string {
  let next = 0;
  return () => {
    const i = next++;
    return i < 26 ? String.fromCharCode(97 + i) : `w${i}`;
  };
}

/** How each wildcard is filled in one candidate key. */
interface Fill {
  star: (starIndex: number) => string;
  /** The words a `#` takes. */
  hash: () => string[];
}

/** The key made from the pattern's words with every wildcard filled as `fill` says. */
function fillPattern(pattern: readonly string[], fill: Fill): string {
  const out: string[] = [];
  let stars = 0;
  for (const word of pattern) {
    if (word === '*') out.push(fill.star(stars++));
    else if (word === '#') out.push(...fill.hash());
    else out.push(word);
  }
  return out.join('.');
}

/** Candidates meant to match: story words and empty runs, then letters and runs of two, then empty words. */
function matchingCandidates(pattern: readonly string[]): string[] {
  const story = fillPattern(pattern, { star: (i) => STORY_WORDS[i % STORY_WORDS.length]!, hash: () => [] });
  const next = letters();
  const lettered = fillPattern(pattern, { star: () => next(), hash: () => [next(), next()] });
  const nextOne = letters();
  // `*` takes an empty word and `#` one word: shows that "" is a word like any other.
  const emptyWords = fillPattern(pattern, { star: () => '', hash: () => [nextOne()] });
  return [story, lettered, emptyWords];
}

/** A literal word changed into one it is not. */
function otherWord(word: string): string {
  return word === 'other' ? 'another' : 'other';
}

/** Candidates meant not to match: too few words, one word too many in front, a literal changed, one word too many at the end. */
function notMatchingCandidates(pattern: readonly string[]): string[] {
  const literalsOnly = pattern.filter((word) => word !== '*' && word !== '#').join('.');
  const story = splitWords(fillPattern(pattern, { star: (i) => STORY_WORDS[i % STORY_WORDS.length]!, hash: () => [] }));
  const withoutLast = story.slice(0, -1).join('.');
  const next = letters();
  const extraInFront = [next(), fillPattern(pattern, { star: () => next(), hash: () => [] })].join('.');
  const firstLiteral = pattern.findIndex((word) => word !== '*' && word !== '#');
  const changed =
    firstLiteral < 0 ? null : fillPattern(pattern.map((word, i) => (i === firstLiteral ? otherWord(word) : word)), { star: () => 'x', hash: () => [] });
  const extraAtEnd = [...story, 'z'].join('.');
  const candidates = [literalsOnly, withoutLast, extraInFront, extraAtEnd, 'a', '.'];
  if (changed !== null) candidates.splice(3, 0, changed);
  return candidates;
}

/** The first `count` distinct candidates whose match against `bindingKey` is `wanted`. */
function verified(bindingKey: string, candidates: readonly string[], wanted: boolean, count: number): string[] {
  const kept: string[] = [];
  for (const key of candidates) {
    if (kept.length >= count) break;
    if (!kept.includes(key) && matchTopic(bindingKey, key) === wanted) kept.push(key);
  }
  return kept;
}

/**
 * Example routing keys for `bindingKey`: up to `count` that match (e.g. for `*.orange.*`:
 * `quick.orange.rabbit`, `a.orange.b`) and up to `count` that do not (`orange`, `quick.orange`,
 * `a.b.orange.c`). Every one is verified with matchTopic; a pattern like `#` has none that fail.
 */
export function topicExamples(bindingKey: string, count: number = DEFAULT_COUNT): TopicExamples {
  const pattern = splitWords(bindingKey);
  return {
    matching: verified(bindingKey, matchingCandidates(pattern), true, count),
    notMatching: verified(bindingKey, notMatchingCandidates(pattern), false, count),
  };
}
