/**
 * Topic routing throughput: our TopicTrie against qlobber's QlobberDedup (AMQP settings) on the
 * same bindings and keys, in the same run. Every workload first checks that both return the same
 * bindings for every key.
 *
 *     npx tsx tests/bench/topic.bench.ts
 *
 * qlobber cannot express RabbitMQ's zero-word routing key: it splits "" into one empty word, so
 * with `match_empty_levels` its "*" matches "" (RabbitMQ: no word for "*" to take). The workloads
 * therefore hold no "" routing key; the report counts that known divergence separately.
 */

import { pathToFileURL } from 'node:url';
import { QlobberDedup } from 'qlobber';
import { TopicTrie } from '../../src/broker/topic';
import { loadVectors } from '../broker/support/reference';
import { compareThroughput, printTable, seededRandom, type BenchRow } from './lib';

export type { BenchRow } from './lib';

/** qlobber set up as an AMQP topic matcher; `match_empty_levels` lets "*" take an empty word, as in RabbitMQ. */
function newQlobber<T>(): QlobberDedup<T> {
  return new QlobberDedup<T>({ separator: '.', wildcard_one: '*', wildcard_some: '#', match_empty_levels: true });
}

interface Binding {
  id: number;
  key: string;
}

interface Workload {
  name: string;
  bindings: Binding[];
  keys: string[];
}

interface TopicVector {
  binding: string;
  routingKey: string;
  refusedSince?: string;
}

function toBindings(keys: readonly string[]): Binding[] {
  return keys.map((key, id) => ({ id, key }));
}

/** 1: the bindings and keys of RabbitMQ's own tests (the topic vectors 4.3.6 accepts). */
function suiteWorkload(vectors: readonly TopicVector[]): Workload {
  const accepted = vectors.filter((v) => v.refusedSince === undefined);
  const bindings = toBindings([...new Set(accepted.map((v) => v.binding))]);
  const keys = [...new Set(accepted.map((v) => v.routingKey))].filter((key) => key !== '');
  return { name: `RabbitMQ test vectors (${bindings.length} bindings x ${keys.length} keys)`, bindings, keys };
}

function pick<T>(random: () => number, items: readonly T[]): T {
  return items[Math.floor(random() * items.length)]!;
}

/** A "." joined key of 1 to `maxWords` words; never "" (qlobber has no zero-word key). */
function randomKey(random: () => number, maxWords: number, word: () => string): string {
  for (;;) {
    const length = 1 + Math.floor(random() * maxWords);
    const key = Array.from({ length }, word).join('.');
    if (key !== '') return key;
  }
}

/** 2: random wildcard patterns (at most two "#") over a small vocabulary, empty words included. */
function randomPatternWorkload(seed: number, patterns: number, keys: number): Workload {
  const random = seededRandom(seed);
  const vocabulary = ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h'];
  const literal = () => (random() < 0.03 ? '' : pick(random, vocabulary));
  const patternKeys: string[] = [];
  while (patternKeys.length < patterns) {
    let hashes = 0;
    const pattern = randomKey(random, 5, () => {
      const r = random();
      if (r < 0.15 && hashes < 2) {
        hashes++;
        return '#';
      }
      return r < 0.45 ? '*' : literal();
    });
    patternKeys.push(pattern);
  }
  return {
    name: `${patterns.toLocaleString('en-US')} random wildcard patterns x ${keys.toLocaleString('en-US')} keys`,
    bindings: toBindings(patternKeys),
    keys: Array.from({ length: keys }, () => randomKey(random, 6, literal)),
  };
}

/** `region.service.event` keys over 10 x 40 x 60 words; 10% of keys carry a fourth word. */
function serviceVocabulary(random: () => number) {
  const vocab = (prefix: string, n: number) => Array.from({ length: n }, (_, i) => `${prefix}${i}`);
  const regions = vocab('region', 10);
  const services = vocab('svc', 40);
  const events = vocab('evt', 60);
  return {
    literalKey: () => [pick(random, regions), pick(random, services), pick(random, events)],
    routingKey: () => {
      const words = [pick(random, regions), pick(random, services), pick(random, events)];
      if (random() < 0.1) words.push(pick(random, events));
      return words.join('.');
    },
  };
}

/**
 * 3: many bindings, mostly literal `region.service.event`; one in ten has a wildcard in place of
 * one word (`*` anywhere, `#` first or last), so wildcard bindings spread like literal ones.
 * 4 (`hotWildcards`, extra): a "#" instead cuts the key after its first or second word
 * (`region.#`, `#.evt`...), so hundreds of bindings pile onto a few keys and every routing key
 * matches about 30 of them: both sides then spend most of their time filling the result Set.
 */
function serviceWorkload(seed: number, bindings: number, keys: number, hotWildcards: boolean): Workload {
  const random = seededRandom(seed);
  const vocab = (prefix: string, n: number) => Array.from({ length: n }, (_, i) => `${prefix}${i}`);
  const regions = vocab('region', 10);
  const services = vocab('svc', 40);
  const events = vocab('evt', 60);
  const literalKey = () => [pick(random, regions), pick(random, services), pick(random, events)];
  const bindingKeys = Array.from({ length: bindings }, () => {
    const words = literalKey();
    const r = random();
    if (r < 0.9) return words.join('.');
    if (r < 0.95) words[Math.floor(random() * 3)] = '*';
    else if (r < 0.975) words.splice(hotWildcards ? 1 + Math.floor(random() * 2) : 2, 5, '#');
    else words.splice(0, hotWildcards ? 1 + Math.floor(random() * 2) : 1, '#');
    return words.join('.');
  });
  const routingKey = () => {
    const words = literalKey();
    if (random() < 0.1) words.push(pick(random, events));
    return words.join('.');
  };
  const count = (n: number) => n.toLocaleString('en-US');
  return {
    name: `${count(bindings)} ${hotWildcards ? 'bindings, hot wildcards' : 'mostly literal bindings'} x ${count(keys)} keys`,
    bindings: toBindings(bindingKeys),
    keys: Array.from({ length: keys }, routingKey),
  };
}

function sameSet<T>(a: Set<T>, b: Set<T>): boolean {
  if (a.size !== b.size) return false;
  for (const item of a) if (!b.has(item)) return false;
  return true;
}

/** Keys on which the two disagree, with both answers as binding keys. */
function mismatches(workload: Workload, trie: TopicTrie<Binding>, ref: QlobberDedup<Binding>): string[] {
  const found: string[] = [];
  const out = new Set<Binding>();
  for (const key of new Set(workload.keys)) {
    out.clear();
    trie.match(key, out);
    const theirs = ref.match(key);
    if (!sameSet(out, theirs)) {
      const show = (set: Set<Binding>) => JSON.stringify([...set].map((b) => b.key).sort());
      found.push(`${JSON.stringify(key)}: ours ${show(out)}, qlobber ${show(theirs)}`);
    }
  }
  return found;
}

function countMatches(trie: TopicTrie<Binding>, keys: readonly string[]): number {
  let total = 0;
  for (const key of keys) {
    const out = new Set<Binding>();
    trie.match(key, out);
    total += out.size;
  }
  return total;
}

function runWorkload(workload: Workload): { row: BenchRow; mismatches: string[]; perKey: number } {
  const trie = new TopicTrie<Binding>();
  const ref = newQlobber<Binding>();
  for (const binding of workload.bindings) {
    trie.add(binding.key, binding);
    ref.add(binding.key, binding);
  }
  const wrong = mismatches(workload, trie, ref);
  const perKey = countMatches(trie, workload.keys) / workload.keys.length;
  const keys = workload.keys;
  // A new Set per match, as QlobberDedup makes one. In V8 a long-lived Set emptied with clear()
  // is the slower choice: once it sits in the old generation, refilling it grows a fresh young
  // backing table through write barriers (workload 2 ran 1.6x slower that way).
  const ours = () => {
    let total = 0;
    for (let i = 0; i < keys.length; i++) {
      const out = new Set<Binding>();
      trie.match(keys[i]!, out);
      total += out.size;
    }
    return total;
  };
  const theirs = () => {
    let total = 0;
    for (let i = 0; i < keys.length; i++) total += ref.match(keys[i]!).size;
    return total;
  };
  const rates = compareThroughput(ours, theirs, keys.length);
  return {
    perKey,
    row: {
      name: workload.name,
      ours_ops_per_s: rates.ours,
      ref_ops_per_s: rates.ref,
      ratio: rates.ours / rates.ref,
      identical: wrong.length === 0,
    },
    mismatches: wrong,
  };
}

/** How many suite bindings qlobber answers differently for the routing key "" (the known divergence). */
function emptyKeyDivergence(bindings: readonly Binding[]): string[] {
  const trie = new TopicTrie<Binding>();
  const ref = newQlobber<Binding>();
  for (const binding of bindings) {
    trie.add(binding.key, binding);
    ref.add(binding.key, binding);
  }
  return mismatches({ name: '', bindings: [...bindings], keys: [''] }, trie, ref);
}

/** What to run and where to say what was found. */
export interface TopicBenchOptions {
  /** Receives mismatch reports and notes (default: dropped). */
  log?: (line: string) => void;
  /** 1-based workload numbers to run (default: all four). */
  only?: readonly number[];
}

/** Runs the workloads (the three of the brief, and a high fan-out one); one row each (matches per second, ours vs QlobberDedup). */
export async function runTopicBench(options: TopicBenchOptions = {}): Promise<BenchRow[]> {
  const log = options.log ?? (() => {});
  const vectors = (loadVectors() as { topic: TopicVector[] }).topic;
  const suite = suiteWorkload(vectors);
  const workloads = [
    () => suite,
    () => randomPatternWorkload(42, 2_000, 100_000),
    () => serviceWorkload(7, 20_000, 100_000, false),
    () => serviceWorkload(7, 20_000, 100_000, true),
  ];
  const rows: BenchRow[] = [];
  for (const [index, build] of workloads.entries()) {
    if (options.only !== undefined && !options.only.includes(index + 1)) continue;
    const workload = build();
    const { row, mismatches: wrong, perKey } = runWorkload(workload);
    rows.push(row);
    log(`${workload.name}: ${workload.bindings.length} bindings, ${perKey.toFixed(1)} matches per key, ${wrong.length} mismatches`);
    for (const line of wrong.slice(0, 10)) log(`  mismatch in "${workload.name}": ${line}`);
    if (wrong.length > 10) log(`  ... ${wrong.length - 10} more mismatches in "${workload.name}"`);
    // Let a caller's event loop breathe between workloads.
    await new Promise((resolve) => setTimeout(resolve, 0));
  }
  const divergence = emptyKeyDivergence(suite.bindings);
  log(`known divergence, routing key "" (RabbitMQ: zero words; qlobber: one empty word): ${divergence.length === 0 ? 'none' : divergence.join('; ')}`);
  return rows;
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  // Optional arguments: workload numbers to run, e.g. `npx tsx tests/bench/topic.bench.ts 2 3`.
  const only = process.argv.slice(2).map(Number);
  const rows = await runTopicBench({ log: (line) => console.log(line), ...(only.length > 0 ? { only } : {}) });
  printTable(rows);
}
