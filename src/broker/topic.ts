/**
 * The topic exchange: RabbitMQ 4.3.6's matching rule, the trie it routes with, and word-by-word
 * explanations for traces.
 *
 * Words: a key splits on every "." (empty words kept: "a..b" is ["a", "", "b"], "." is ["", ""]),
 * except that "" is zero words. In a binding key a word that is exactly "*" takes one word (an
 * empty one too) and a word that is exactly "#" takes zero or more; any other word ("a*", "##")
 * is literal, and so is every word of a routing key. RabbitMQ 4.3.6 refuses binding keys with
 * more than two "#" words.
 *
 * Layout (after rabbit_db_topic_exchange): a trie with one edge per binding-key word. A node keeps
 * its literal edges in a Map keyed by word id (the trie numbers its literal words), made on first
 * use, its "*" and "#" edges in fields of their own, and the values bound at it in an array. A
 * node entered through a "#" edge is a hash node: it stays live while words go by, which is how
 * "#" takes a run of words.
 *
 * Cost: `TopicTrie.match` reads the key once, left to right, carrying the set of live nodes (each
 * at most once, by a generation stamp) in two arrays reused across calls: O(words x live nodes),
 * never exponential however many "#" the bindings hold; with only literal bindings one node is
 * live. It allocates nothing but the key's word substrings. `matchTopic` and `explainTopic` split
 * both keys and align them in O(binding words x key words) by cutting the binding key at its "#"
 * words: a fixed prefix, middle parts placed leftmost, a suffix fixed to the key's end.
 */

const HASH = '#';
const STAR = '*';
const MAX_HASH_WORDS = 2;
/** Matched explanations longer than this many steps are summarised instead of listed. */
const MAX_LISTED_STEPS = 6;

/** RabbitMQ's split_topic_key_binary: "" is zero words, otherwise split on every ".". */
function splitWords(key: string): string[] {
  return key === '' ? [] : key.split('.');
}

/** Does `routingKey` match the topic binding key `bindingKey`? Pure, RabbitMQ's rule. */
export function matchTopic(bindingKey: string, routingKey: string): boolean {
  return align(splitWords(bindingKey), splitWords(routingKey), null) === null;
}

/** null when RabbitMQ 4.3.6 accepts the key, else the 406 text (without the 'PRECONDITION_FAILED - ' prefix). */
export function validateTopicBindingKey(bindingKey: string): string | null {
  // Length is not checked here: a binding key is an AMQP shortstr, so the wire layer bounds it.
  const hashes = countHashWords(splitWords(bindingKey));
  if (hashes <= MAX_HASH_WORDS) return null;
  return `Topic binding key '${bindingKey}' uses ${hashes} '#' wildcards, at most ${MAX_HASH_WORDS} are allowed`;
}

function countHashWords(words: readonly string[]): number {
  let n = 0;
  for (const word of words) if (word === HASH) n++;
  return n;
}

// ---------------------------------------------------------------------------------------------
// The trie
// ---------------------------------------------------------------------------------------------

/**
 * The literal words of a trie's binding keys, numbered, so that edges are keyed by small integers
 * (cheaper to look up than strings) and a key word no binding uses skips every literal edge.
 */
class WordTable {
  private readonly ids = new Map<string, number>();
  /** How many edges use each id; a free id has 0 and sits in `free`. */
  private readonly uses: number[] = [];
  private readonly free: number[] = [];

  /** The word's id, or -1 when no literal edge has it. */
  find(word: string): number {
    return this.ids.get(word) ?? -1;
  }

  /** The word's id, counting one more edge that uses it. */
  retain(word: string): number {
    let id = this.ids.get(word);
    if (id === undefined) {
      id = this.free.pop() ?? this.uses.length;
      this.ids.set(word, id);
      this.uses[id] = 0;
    }
    this.uses[id]!++;
    return id;
  }

  /** One edge fewer uses the word; it is forgotten when none does. */
  release(word: string, id: number): void {
    if (--this.uses[id]! > 0) return;
    this.ids.delete(word);
    this.free.push(id);
  }
}

class TrieNode<T> {
  /** Edges for literal words, by word id; null until the first one. */
  literal: Map<number, TrieNode<T>> | null = null;
  star: TrieNode<T> | null = null;
  hash: TrieNode<T> | null = null;
  /** Values bound with the key that ends here (null when none). */
  values: T[] | null = null;
  /** values.length, and values[0]: most nodes hold one value, read without touching the array. */
  valueCount = 0;
  firstValue: T | undefined = undefined;
  /** Entered through a "#" edge: stays live while the key's words are consumed. */
  readonly isHash: boolean;
  /** Generation of the match step that last made this node live (dedups the live set). */
  mark = 0;

  constructor(isHash: boolean) {
    this.isHash = isHash;
  }

  /** The edge for `word` (`id`: its word id, -1 if unknown), or null. */
  child(word: string, id: number): TrieNode<T> | null {
    if (word === STAR) return this.star;
    if (word === HASH) return this.hash;
    return id < 0 ? null : (this.literal?.get(id) ?? null);
  }

  /** A new edge for `word` (`id`: its retained word id when literal). */
  attach(word: string, id: number): TrieNode<T> {
    const made = new TrieNode<T>(word === HASH);
    if (word === STAR) this.star = made;
    else if (word === HASH) this.hash = made;
    else (this.literal ??= new Map()).set(id, made);
    return made;
  }

  detach(word: string, id: number): void {
    if (word === STAR) this.star = null;
    else if (word === HASH) this.hash = null;
    else if (this.literal !== null) {
      this.literal.delete(id);
      if (this.literal.size === 0) this.literal = null;
    }
  }

  setValues(values: T[]): void {
    this.valueCount = values.length;
    this.values = values.length === 0 ? null : values;
    this.firstValue = values[0];
  }

  isEmpty(): boolean {
    return this.valueCount === 0 && this.literal === null && this.star === null && this.hash === null;
  }
}

/**
 * Puts `node` and the chain of "#" edges below it (each can take zero words) into `into` at
 * `count`, skipping nodes already live in generation `gen`; returns the new count.
 */
function enterLive<T>(node: TrieNode<T>, into: TrieNode<T>[], count: number, gen: number): number {
  let at: TrieNode<T> | null = node;
  while (at !== null && at.mark !== gen) {
    at.mark = gen;
    into[count++] = at;
    at = at.hash;
  }
  return count;
}

/**
 * One word of the key (`wordId`: -1 when no binding has it as a literal): from each live node
 * follow the word's edge, "*", and a hash node's self-loop into `next`; returns how many are live.
 */
function advanceLive<T>(
  live: TrieNode<T>[],
  liveCount: number,
  wordId: number,
  next: TrieNode<T>[],
  gen: number,
): number {
  let count = 0;
  for (let i = 0; i < liveCount; i++) {
    const node = live[i]!;
    if (node.isHash) count = enterLive(node, next, count, gen);
    if (wordId >= 0 && node.literal !== null) {
      const child = node.literal.get(wordId);
      if (child !== undefined) count = enterLive(child, next, count, gen);
    }
    if (node.star !== null) count = enterLive(node.star, next, count, gen);
  }
  return count;
}

function collectValues<T>(live: TrieNode<T>[], liveCount: number, out: Set<T>): void {
  for (let i = 0; i < liveCount; i++) {
    const node = live[i]!;
    const count = node.valueCount;
    if (count === 0) continue;
    out.add(node.firstValue as T);
    for (let j = 1; j < count; j++) out.add(node.values![j]!);
  }
}

/** The trie a topic exchange routes with. T is a binding object; identity is by reference. */
export class TopicTrie<T> {
  private readonly root = new TrieNode<T>(false);
  private readonly words = new WordTable();
  private count = 0;
  private generation = 0;
  // Scratch for match(): the live nodes before and after the current word, reused across calls.
  private live: TrieNode<T>[] = [];
  private nextLive: TrieNode<T>[] = [];

  /** Binds `value` with `bindingKey`; adding the same (key, value) twice is a no-op. */
  add(bindingKey: string, value: T): void {
    let node = this.root;
    for (const word of splitWords(bindingKey)) {
      const isLiteral = word !== STAR && word !== HASH;
      node = node.child(word, this.words.find(word)) ?? node.attach(word, isLiteral ? this.words.retain(word) : -1);
    }
    const values = node.values ?? [];
    if (values.includes(value)) return;
    values.push(value);
    node.setValues(values);
    this.count++;
  }

  /** Unbinds `value` from `bindingKey`; returns whether it was bound. Prunes nodes left empty. */
  remove(bindingKey: string, value: T): boolean {
    const words = splitWords(bindingKey);
    const ids = words.map((word) => this.words.find(word));
    const path: TrieNode<T>[] = [this.root];
    for (let i = 0; i < words.length; i++) {
      const next = path[i]!.child(words[i]!, ids[i]!);
      if (next === null) return false;
      path.push(next);
    }
    const node = path[words.length]!;
    const at = node.values === null ? -1 : node.values.indexOf(value);
    if (at < 0) return false;
    node.values!.splice(at, 1);
    node.setValues(node.values!);
    for (let depth = words.length; depth > 0 && path[depth]!.isEmpty(); depth--) {
      const word = words[depth - 1]!;
      path[depth - 1]!.detach(word, ids[depth - 1]!);
      if (word !== STAR && word !== HASH) this.words.release(word, ids[depth - 1]!);
    }
    this.count--;
    // Drop references the scratch arrays may still hold to pruned nodes.
    this.live.length = 0;
    this.nextLive.length = 0;
    return true;
  }

  /**
   * Adds every value whose key matches into `out` (a Set, so each once). Cost grows with the key's
   * word count (and the wildcards met), not the number of bindings.
   */
  match(routingKey: string, out: Set<T>): void {
    const liveCount = this.walk(routingKey);
    collectValues(this.live, liveCount, out);
  }

  /**
   * Appends every value whose key matches to `out`. Each value sits at one node and a node is
   * live once per walk, so the array holds no duplicates: the router's hot path, no Set needed.
   */
  matchInto(routingKey: string, out: T[]): void {
    const liveCount = this.walk(routingKey);
    const live = this.live;
    for (let i = 0; i < liveCount; i++) {
      const node = live[i]!;
      const count = node.valueCount;
      if (count === 0) continue;
      out.push(node.firstValue as T);
      for (let j = 1; j < count; j++) out.push(node.values![j]!);
    }
  }

  /** Walks the key; leaves the live nodes in `this.live` and returns how many there are. */
  private walk(routingKey: string): number {
    // Hot path: words are cut with indexOf one at a time (no array) and turned into word ids, the
    // live sets live in reused arrays, and no closures or recursion are involved.
    let live = this.live;
    let next = this.nextLive;
    let liveCount = enterLive(this.root, live, 0, ++this.generation);
    if (routingKey !== '') {
      let start = 0;
      for (;;) {
        const dot = routingKey.indexOf('.', start);
        const word = dot < 0 ? routingKey.slice(start) : routingKey.slice(start, dot);
        liveCount = advanceLive(live, liveCount, this.words.find(word), next, ++this.generation);
        const swap = live;
        live = next;
        next = swap;
        if (liveCount === 0 || dot < 0) break;
        start = dot + 1;
      }
    }
    this.live = live;
    this.nextLive = next;
    return liveCount;
  }

  /** How many (binding key, value) pairs are bound. */
  get size(): number {
    return this.count;
  }
}

// ---------------------------------------------------------------------------------------------
// Alignment: matchTopic and explainTopic
// ---------------------------------------------------------------------------------------------

/** Word-by-word alignment of a pattern against a key, for explanations and traces. */
export interface TopicExplanation {
  matched: boolean;
  patternWords: string[];
  keyWords: string[];
  /**
   * One entry per pattern word: which key words [keyStart, keyEnd) it took (`*`: exactly one;
   * `#`: a run, possibly empty; literal: the equal word). Steps are contiguous over the key
   * from its first word. When not matched: the alignment up to the failure; its last step has
   * `ok: false` and covers what failed (the key word, an empty range where the key ran out, or
   * for a `#` the words where the part after it was not found), unless every step fitted and the
   * key has words left over.
   */
  steps: { patternIndex: number; kind: 'literal' | 'star' | 'hash'; keyStart: number; keyEnd: number; ok: boolean }[];
  /**
   * One short English sentence, e.g. `'*' took "a", '#' took nothing, "eu" matched "eu"`,
   * `the binding key needs 3 words and "a.b.c.d" has 4` or `word 2: binding wants "eu", key has
   * "us"`. Words and keys are in double quotes, so an empty one shows as "".
   */
  reason: string;
}

/** One pattern word's part of an alignment: it took key words [keyStart, keyEnd). */
type TopicStep = TopicExplanation['steps'][number];

/** Why an alignment failed. Word indexes are 0-based. */
type Failure =
  /** The key has too few or too many words for the binding key. */
  | { kind: 'count'; atLeast: boolean; need: number }
  /** A literal binding word met a different key word; `fromEnd` > 0 when that part is tied to the key's end. */
  | { kind: 'word'; patternIndex: number; keyIndex: number; fromEnd: number }
  /** The words between two "#" (pattern [patternStart, patternEnd)) fit nowhere in key [keyStart, keyEnd). */
  | { kind: 'middle'; patternStart: number; patternEnd: number; keyStart: number; keyEnd: number };

function stepKind(word: string): TopicStep['kind'] {
  return word === HASH ? 'hash' : word === STAR ? 'star' : 'literal';
}

function wordFits(patternWord: string, keyWord: string): boolean {
  return patternWord === STAR || patternWord === keyWord;
}

/**
 * Aligns pattern words [from, to) one to one with key words from `keyAt` (all present), recording
 * steps when asked; returns the first pattern index that does not fit, or -1.
 */
function alignRun(
  pattern: readonly string[],
  from: number,
  to: number,
  key: readonly string[],
  keyAt: number,
  steps: TopicStep[] | null,
): number {
  for (let t = from; t < to; t++) {
    const k = keyAt + t - from;
    const ok = wordFits(pattern[t]!, key[k]!);
    steps?.push({ patternIndex: t, kind: stepKind(pattern[t]!), keyStart: k, keyEnd: k + 1, ok });
    if (!ok) return t;
  }
  return -1;
}

/** Leftmost key index in [lo, hi) where pattern words [from, to) fit whole, or -1. */
function findRun(
  pattern: readonly string[],
  from: number,
  to: number,
  key: readonly string[],
  lo: number,
  hi: number,
): number {
  const length = to - from;
  for (let at = lo; at + length <= hi; at++) {
    let t = from;
    while (t < to && wordFits(pattern[t]!, key[at + t - from]!)) t++;
    if (t === to) return at;
  }
  return -1;
}

/**
 * The partial alignment shown when the key has the wrong number of words: left to right, each
 * "#" taking nothing, up to the first word that does not fit or is missing.
 */
function alignFromLeft(pattern: readonly string[], key: readonly string[], steps: TopicStep[]): number {
  let k = 0;
  for (let t = 0; t < pattern.length; t++) {
    const word = pattern[t]!;
    if (word === HASH) {
      steps.push({ patternIndex: t, kind: 'hash', keyStart: k, keyEnd: k, ok: true });
      continue;
    }
    const ok = k < key.length && wordFits(word, key[k]!);
    steps.push({ patternIndex: t, kind: stepKind(word), keyStart: k, keyEnd: Math.min(k + 1, key.length), ok });
    if (!ok) return t;
    k++;
  }
  return -1;
}

/** A binding key without "#": word for word. */
function alignFixed(pattern: readonly string[], key: readonly string[], steps: TopicStep[] | null): Failure | null {
  const sameLength = pattern.length === key.length;
  if (!sameLength && steps === null) return { kind: 'count', atLeast: false, need: pattern.length };
  const failed = steps === null ? alignRun(pattern, 0, pattern.length, key, 0, null) : alignFromLeft(pattern, key, steps);
  if (!sameLength) return { kind: 'count', atLeast: false, need: pattern.length };
  return failed < 0 ? null : { kind: 'word', patternIndex: failed, keyIndex: failed, fromEnd: 0 };
}

/**
 * RabbitMQ's rule as an alignment, O(pattern x key) for any pattern. Cut at its "#" words the
 * pattern is prefix # middle # ... # suffix: the prefix is tied to the key's start, the suffix to
 * its end, and each middle part goes leftmost in what is left (placing leftmost never loses a
 * match). Each "#" takes the words between its neighbours. Records steps when `steps` is given.
 */
function align(pattern: readonly string[], key: readonly string[], steps: TopicStep[] | null): Failure | null {
  const first = pattern.indexOf(HASH);
  if (first < 0) return alignFixed(pattern, key, steps);
  const need = pattern.length - countHashWords(pattern);
  if (key.length < need) {
    if (steps !== null) alignFromLeft(pattern, key, steps);
    return { kind: 'count', atLeast: true, need };
  }
  const prefixFail = alignRun(pattern, 0, first, key, 0, steps);
  if (prefixFail >= 0) return { kind: 'word', patternIndex: prefixFail, keyIndex: prefixFail, fromEnd: 0 };

  const last = pattern.lastIndexOf(HASH);
  const suffixAt = key.length - (pattern.length - last - 1);
  let k = first;
  for (let hash = first; hash < last; ) {
    const nextHash = pattern.indexOf(HASH, hash + 1);
    const at = findRun(pattern, hash + 1, nextHash, key, k, suffixAt);
    if (at < 0) {
      steps?.push({ patternIndex: hash, kind: 'hash', keyStart: k, keyEnd: suffixAt, ok: false });
      return { kind: 'middle', patternStart: hash + 1, patternEnd: nextHash, keyStart: k, keyEnd: suffixAt };
    }
    steps?.push({ patternIndex: hash, kind: 'hash', keyStart: k, keyEnd: at, ok: true });
    alignRun(pattern, hash + 1, nextHash, key, at, steps);
    k = at + nextHash - hash - 1;
    hash = nextHash;
  }
  steps?.push({ patternIndex: last, kind: 'hash', keyStart: k, keyEnd: suffixAt, ok: true });
  const suffixFail = alignRun(pattern, last + 1, pattern.length, key, suffixAt, steps);
  if (suffixFail < 0) return null;
  const keyIndex = suffixAt + suffixFail - last - 1;
  return { kind: 'word', patternIndex: suffixFail, keyIndex, fromEnd: key.length - keyIndex };
}

/** Word-by-word alignment of `bindingKey` against `routingKey`, with a one-sentence reason. `matched` always equals matchTopic's answer. */
export function explainTopic(bindingKey: string, routingKey: string): TopicExplanation {
  const patternWords = splitWords(bindingKey);
  const keyWords = splitWords(routingKey);
  const steps: TopicStep[] = [];
  const failure = align(patternWords, keyWords, steps);
  const reason =
    failure === null
      ? describeMatch(patternWords, keyWords, steps)
      : describeFailure(failure, patternWords, keyWords, routingKey);
  return { matched: failure === null, patternWords, keyWords, steps, reason };
}

// ---------------------------------------------------------------------------------------------
// Reasons
// ---------------------------------------------------------------------------------------------

/** A word or key in double quotes, so that an empty one shows as "". */
function quote(text: string): string {
  return JSON.stringify(text);
}

function words(count: number): string {
  return count === 1 ? '1 word' : `${count} words`;
}

function ordinal(n: number): string {
  const tens = n % 100;
  if (tens >= 11 && tens <= 13) return `${n}th`;
  return `${n}${['th', 'st', 'nd', 'rd'][n % 10] ?? 'th'}`;
}

function describeStep(step: TopicStep, pattern: readonly string[], key: readonly string[]): string {
  if (step.kind === 'literal') return `${quote(pattern[step.patternIndex]!)} matched ${quote(key[step.keyStart]!)}`;
  if (step.kind === 'star') return `'*' took ${quote(key[step.keyStart]!)}`;
  return `'#' took ${describeRun(key, step.keyStart, step.keyEnd)}`;
}

function describeRun(key: readonly string[], start: number, end: number): string {
  if (start === end) return 'nothing';
  const text = quote(key.slice(start, end).join('.'));
  return end - start === 1 ? text : `${text} (${words(end - start)})`;
}

function describeMatch(pattern: readonly string[], key: readonly string[], steps: readonly TopicStep[]): string {
  if (pattern.length === 0) return 'the empty binding key matches the empty routing key';
  if (steps.length <= MAX_LISTED_STEPS) return steps.map((step) => describeStep(step, pattern, key)).join(', ');
  const hashes = steps.filter((step) => step.kind === 'hash').map((step) => describeStep(step, pattern, key));
  return [`all ${pattern.length} binding words line up with the key's ${words(key.length)}`, ...hashes].join(', ');
}

function describeFailure(failure: Failure, pattern: readonly string[], key: readonly string[], routingKey: string): string {
  switch (failure.kind) {
    case 'count':
      if (pattern.length === 0) {
        return `the empty binding key matches only the empty routing key, and ${quote(routingKey)} has ${words(key.length)}`;
      }
      return `the binding key needs ${failure.atLeast ? 'at least ' : ''}${words(failure.need)} and ${quote(routingKey)} has ${key.length}`;
    case 'word': {
      const where =
        failure.fromEnd === 0 ? '' : failure.fromEnd === 1 ? ' (last)' : ` (${ordinal(failure.fromEnd)} from the end)`;
      return `word ${failure.keyIndex + 1}${where}: binding wants ${quote(pattern[failure.patternIndex]!)}, key has ${quote(key[failure.keyIndex]!)}`;
    }
    case 'middle': {
      const part = quote(pattern.slice(failure.patternStart, failure.patternEnd).join('.'));
      const { keyStart, keyEnd } = failure;
      if (keyStart === keyEnd) return `no words are left for the part ${part} between '#' wildcards`;
      const place = quote(key.slice(keyStart, keyEnd).join('.'));
      const whole = keyStart === 0 && keyEnd === key.length;
      const span = keyEnd - keyStart === 1 ? `key word ${keyEnd}` : `key words ${keyStart + 1}-${keyEnd}`;
      return `the part ${part} between '#' wildcards is not in ${place}${whole ? '' : ` (${span})`}`;
    }
  }
}
