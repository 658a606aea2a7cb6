/**
 * Binding analysis: lints over a whole topology (exchanges, queues, bindings, publishers,
 * consumers), each a Finding with a plain-English message and, where a routing key proves it,
 * that key with the bindings it matches and misses. Every claim comes from the core's own rules:
 * matchTopic, topicOverlap/topicCovers, matchHeaders/compileHeadersBinding,
 * validateTopicBindingKey/validateHeadersBinding, and a route walk that follows RabbitMQ's
 * (routing.ts: each exchange once, the alternate exchange only when no binding matched).
 *
 * Families, in the order they are computed:
 * - duplicate: the same source, destination, key and arguments (any key order) twice; or,
 *   to one destination, bindings that differ only in what the exchange type ignores (fanout
 *   keys, direct arguments, headers keys and uncompared arguments) or topic keys that match
 *   exactly the same routing keys: duplicates in effect.
 * - covers / overlap: pairs of bindings on one topic exchange; covers wins over overlap, a mere
 *   overlap is reported only between different destinations (a queue gets a message once), and
 *   one key bound to two destinations is plain fan-out, not reported.
 * - pattern: topic keys with "#.#", empty words, more than two "#", or that match every key;
 *   direct keys with "*"/"#" words (literal there); fanout bindings with a key (ignored).
 * - headers: refused x-match values, bindings with no keys or only `x-` keys (all: every
 *   message; any: none).
 * - topology: queues nothing routes to or nobody consumes, exchanges nothing sends to, alternate
 *   and dead-letter exchanges that do not exist.
 * - loop: alternate-exchange loops, dead-letter paths back into the same queue, exchange-to-exchange
 *   binding cycles. A dead-letter loop is only claimed once a concrete routing key was routed
 *   all the way round (routeKey, from the keys arrivalKeys proposes); hops that depend on a
 *   message's headers are not taken, so such loops go unreported rather than guessed.
 * Findings come out errors first, then warnings, then info, in that computed order within each.
 *
 * Layout: `indexOf` builds maps by name (exchanges with the built-ins the input leaves out,
 * queues, bindings by source) once; every lint reads them.
 *
 * Cost: linear in the topology for most lints. Topic pairs are quadratic per exchange, so only
 * the first `maxPairBindings` (default 300) topic bindings of each exchange are paired (45k
 * pairs at most; a pair whose keys share no routing key costs one topicOverlap, polynomial;
 * topicCovers may give up on pathological keys, see topic-relations.ts, and that pair then gets
 * no covers verdict). Dead-letter loops route a few candidate keys per queue (at most
 * MAX_CANDIDATE_KEYS) over at most MAX_LOOP_STATES (queue, key) states each.
 */

import {
  compileHeadersBinding,
  matchHeaders,
  validateHeadersBinding,
  xMatchOf,
} from '../headers';
import { emptyFieldTable, fieldTableGet, fieldTablesEqual, type FieldTable } from '../field-table';
import { matchTopic, validateTopicBindingKey } from '../topic';
import { topicCovers, topicOverlap, type TopicCoverage } from './topic-relations';

// ---------------------------------------------------------------------------------------------
// Input and output
// ---------------------------------------------------------------------------------------------

export interface TopologyExchange {
  /** '' is the default exchange; amq.* built-ins may be listed (those left out still exist). */
  name: string;
  type: string;
  arguments: FieldTable;
}

export interface TopologyQueue {
  name: string;
  arguments: FieldTable;
}

export interface TopologyBinding {
  id: string;
  source: string;
  destinationKind: 'queue' | 'exchange';
  destination: string;
  routingKey: string;
  arguments: FieldTable;
}

export interface TopologyPublisher {
  id: string;
  /** '' is the default exchange: it delivers to the queue named by the routing key. */
  exchange: string;
  routingKey: string;
}

export interface TopologyConsumer {
  id: string;
  queue: string;
}

export interface TopologyInput {
  exchanges: TopologyExchange[];
  queues: TopologyQueue[];
  bindings: TopologyBinding[];
  publishers: TopologyPublisher[];
  consumers: TopologyConsumer[];
}

export type FindingFamily = 'duplicate' | 'overlap' | 'covers' | 'pattern' | 'headers' | 'topology' | 'loop';
export type FindingSeverity = 'error' | 'warning' | 'info';

export interface Finding {
  /** Stable across runs for the same topology (e.g. `topic-covers:b3:b7`), so the UI can key lists. */
  id: string;
  family: FindingFamily;
  /** A short machine code, e.g. 'duplicate-binding', 'topic-covers', 'queue-unbound'. */
  code: string;
  severity: FindingSeverity;
  /** One or two plain English sentences; names and keys in double quotes, so empty ones show. */
  message: string;
  /** Binding ids involved. */
  bindings: string[];
  /** Exchange names involved. */
  exchanges: string[];
  /** Queue names involved. */
  queues: string[];
  /** A routing key proven with the core's matchers: the binding ids it matches and misses. */
  example?: { routingKey: string; matches: string[]; misses: string[] };
}

export interface AnalysisOptions {
  /** Topic bindings per exchange that are compared pairwise (the first ones, in input order). Default 300. */
  maxPairBindings?: number;
}

const DEFAULT_MAX_PAIR_BINDINGS = 300;
/** Routing keys tried per queue when looking for a dead-letter loop that keeps the message's key. */
const MAX_CANDIDATE_KEYS = 64;
/** (queue, routing key) states one dead-letter loop search visits at most. */
const MAX_LOOP_STATES = 2000;

/**
 * RabbitMQ's predeclared exchanges and their types (vhost.ts declares the same), for names the
 * input does not list: they always exist, so a dead-letter exchange "amq.direct" is not missing.
 */
const BUILT_IN_TYPES: ReadonlyMap<string, string> = new Map([
  ['', 'direct'],
  ['amq.direct', 'direct'],
  ['amq.fanout', 'fanout'],
  ['amq.headers', 'headers'],
  ['amq.match', 'headers'],
  ['amq.rabbitmq.log', 'topic'],
  ['amq.rabbitmq.trace', 'topic'],
  ['amq.topic', 'topic'],
]);

const SEVERITY_RANK: Record<FindingSeverity, number> = { error: 0, warning: 1, info: 2 };

// ---------------------------------------------------------------------------------------------
// Small helpers
// ---------------------------------------------------------------------------------------------

const q = (text: string): string => JSON.stringify(text);

/** A routing key in quotes, saying so when it is the empty one (easy to misread as nothing). */
function keyText(key: string): string {
  return key === '' ? 'the empty key ""' : q(key);
}

/** An exchange in quotes, naming the default exchange. */
function exchangeText(name: string): string {
  return name === '' ? '"" (the default exchange)' : q(name);
}

/** "a", "a and b", "a, b and c". */
function listText(items: readonly string[]): string {
  if (items.length <= 1) return items.join('');
  return `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`;
}

/** A finding id part: plain when unambiguous, else JSON (so "a:b" cannot collide with "a" + "b"). */
function idPart(part: string): string {
  return /^[\w.-]+$/.test(part) ? part : q(part);
}

function unique(items: readonly string[]): string[] {
  return [...new Set(items)];
}

interface Refs {
  bindings?: readonly string[];
  exchanges?: readonly string[];
  queues?: readonly string[];
}

function finding(
  code: string,
  family: FindingFamily,
  severity: FindingSeverity,
  idParts: readonly string[],
  message: string,
  refs: Refs,
  example?: Finding['example'],
): Finding {
  const made: Finding = {
    id: [code, ...idParts.map(idPart)].join(':'),
    family,
    code,
    severity,
    message,
    bindings: unique(refs.bindings ?? []),
    exchanges: unique(refs.exchanges ?? []),
    queues: unique(refs.queues ?? []),
  };
  if (example) made.example = example;
  return made;
}

/** A longstr argument's value (RabbitMQ ignores other types for these arguments), else undefined. */
function stringArgument(args: FieldTable, key: string): string | undefined {
  const v = fieldTableGet(args, key);
  return v?.type === 'longstr' ? v.value : undefined;
}

function splitWords(key: string): string[] {
  return key === '' ? [] : key.split('.');
}

/** Binding arguments compared as RabbitMQ identifies bindings: same entries, in any key order. */
function sameArguments(a: FieldTable, b: FieldTable): boolean {
  const sorted = (t: FieldTable): FieldTable => {
    const out = emptyFieldTable();
    for (const key of Object.keys(t).sort()) out[key] = t[key]!;
    return out;
  };
  return fieldTablesEqual(sorted(a), sorted(b));
}

// ---------------------------------------------------------------------------------------------
// The index
// ---------------------------------------------------------------------------------------------

interface Index {
  input: TopologyInput;
  /** Every exchange that exists: the listed ones and the built-ins left out. */
  exchanges: Map<string, TopologyExchange>;
  queues: Map<string, TopologyQueue>;
  bindingsFrom: Map<string, TopologyBinding[]>;
  /** Exchange names, listed ones first, in input order: the order loops are reported in. */
  exchangeOrder: string[];
}

function indexOf(input: TopologyInput): Index {
  const exchanges = new Map<string, TopologyExchange>();
  for (const x of input.exchanges) if (!exchanges.has(x.name)) exchanges.set(x.name, x);
  for (const [name, type] of BUILT_IN_TYPES) if (!exchanges.has(name)) exchanges.set(name, { name, type, arguments: emptyFieldTable() });
  const queues = new Map<string, TopologyQueue>();
  for (const queue of input.queues) if (!queues.has(queue.name)) queues.set(queue.name, queue);
  const bindingsFrom = new Map<string, TopologyBinding[]>();
  for (const b of input.bindings) {
    const list = bindingsFrom.get(b.source);
    if (list) list.push(b);
    else bindingsFrom.set(b.source, [b]);
  }
  return { input, exchanges, queues, bindingsFrom, exchangeOrder: [...exchanges.keys()] };
}

function typeOf(t: Index, exchange: string): string | undefined {
  return t.exchanges.get(exchange)?.type;
}

function isBuiltIn(name: string): boolean {
  return name === '' || name.startsWith('amq.');
}

/** `queue "q"` or `exchange "x"`. */
function destinationText(b: TopologyBinding): string {
  return `${b.destinationKind} ${q(b.destination)}`;
}

function sameDestination(a: TopologyBinding, b: TopologyBinding): boolean {
  return a.destinationKind === b.destinationKind && a.destination === b.destination;
}

function refsOf(...bindings: TopologyBinding[]): Refs {
  return {
    bindings: bindings.map((b) => b.id),
    exchanges: [...bindings.map((b) => b.source), ...bindings.filter((b) => b.destinationKind === 'exchange').map((b) => b.destination)],
    queues: bindings.filter((b) => b.destinationKind === 'queue').map((b) => b.destination),
  };
}

// ---------------------------------------------------------------------------------------------
// duplicate
// ---------------------------------------------------------------------------------------------

function duplicateBindings(t: Index, out: Finding[]): void {
  const groups = new Map<string, TopologyBinding[][]>();
  for (const b of t.input.bindings) {
    const key = JSON.stringify([b.source, b.destinationKind, b.destination, b.routingKey]);
    const classes = groups.get(key) ?? [];
    const same = classes.find((c) => sameArguments(c[0]!.arguments, b.arguments));
    if (same) same.push(b);
    else classes.push([b]);
    groups.set(key, classes);
  }
  for (const classes of groups.values()) {
    for (const copies of classes) {
      if (copies.length < 2) continue;
      const b = copies[0]!;
      const times = copies.length === 2 ? 'twice' : `${copies.length} times`;
      out.push(
        finding(
          'duplicate-binding',
          'duplicate',
          'warning',
          copies.map((c) => c.id),
          `Exchange ${q(b.source)} binds ${destinationText(b)} ${times} with key ${q(b.routingKey)} and equal arguments. ` +
            'RabbitMQ keeps one binding per source, destination, key and arguments, so the copies add nothing.',
          refsOf(...copies),
        ),
      );
    }
  }
}

/**
 * Bindings that differ to RabbitMQ (so both exist) but route the same messages to the same
 * destination: what the exchange type ignores differs. A fanout ignores keys and arguments, a
 * direct exchange arguments, a headers exchange the key and the keys its x-match rule skips.
 * (Topic keys that match the same routing keys are found with the topic pairs.)
 */
function equivalentBindings(t: Index, out: Finding[]): void {
  for (const [name, exchange] of t.exchanges) {
    const same = EQUIVALENT[exchange.type];
    if (!same) continue;
    const bindings = t.bindingsFrom.get(name) ?? [];
    const reported = new Set<string>();
    for (let i = 0; i < bindings.length; i++) {
      const a = bindings[i]!;
      if (reported.has(a.id)) continue;
      const twins = bindings.slice(i + 1).filter((b) => sameDestination(a, b) && !isDuplicate(a, b) && !reported.has(b.id) && same(a, b));
      if (twins.length === 0) continue;
      const all = [a, ...twins];
      all.forEach((b) => reported.add(b.id));
      out.push(
        finding(
          'equivalent-bindings',
          'duplicate',
          'warning',
          all.map((b) => b.id),
          `${capitalize(exchange.type)} exchange ${q(name)} binds ${destinationText(a)} ${all.length === 2 ? 'twice' : `${all.length} times`} ` +
            `(${all.map(bindingText).join('; ')}), and ${IGNORED[exchange.type]}: these bindings route exactly the same messages, so all but one add nothing.`,
          refsOf(...all),
        ),
      );
    }
  }
}

/** A binding as the person wrote it: its key, and its arguments when it has any. */
function bindingText(b: TopologyBinding): string {
  const args = Object.keys(b.arguments);
  return args.length === 0 ? `key ${q(b.routingKey)}` : `key ${q(b.routingKey)}, arguments ${args.map((k) => q(k)).join(', ')}`;
}

/** The headers a binding compares, as RabbitMQ compiles them: the rule, then each counted key with its value. */
function sameHeadersRule(a: TopologyBinding, b: TopologyBinding): boolean {
  const ca = compileHeadersBinding(a.arguments);
  const cb = compileHeadersBinding(b.arguments);
  if (ca.xMatch !== cb.xMatch || ca.conditions.length !== cb.conditions.length) return false;
  const table = (conditions: typeof ca.conditions): FieldTable => {
    const out = emptyFieldTable();
    for (const c of conditions) out[c.key] = c.value ?? { type: 'void', value: null };
    return out;
  };
  return sameArguments(table(ca.conditions), table(cb.conditions));
}

const EQUIVALENT: Record<string, ((a: TopologyBinding, b: TopologyBinding) => boolean) | undefined> = {
  fanout: () => true,
  direct: (a, b) => a.routingKey === b.routingKey,
  headers: (a, b) => validateHeadersBinding(a.arguments) === null && validateHeadersBinding(b.arguments) === null && sameHeadersRule(a, b),
};

const IGNORED: Record<string, string> = {
  fanout: 'a fanout exchange ignores binding keys and arguments',
  direct: 'a direct exchange compares the key only, not the arguments',
  headers: 'a headers exchange ignores the binding key, and its x-match rule compares the same headers in each',
};

/** Is `b` a repeat of `a` (reported by duplicateBindings)? */
function isDuplicate(a: TopologyBinding, b: TopologyBinding): boolean {
  return sameDestination(a, b) && a.routingKey === b.routingKey && sameArguments(a.arguments, b.arguments);
}

// ---------------------------------------------------------------------------------------------
// covers / overlap
// ---------------------------------------------------------------------------------------------

/** Memoised relations: topologies repeat keys, and each pair asks up to three questions. */
class Relations {
  readonly #overlap = new Map<string, string | null>();
  readonly #covers = new Map<string, TopicCoverage | null>();

  overlap(a: string, b: string): string | null {
    const key = JSON.stringify(a < b ? [a, b] : [b, a]);
    if (!this.#overlap.has(key)) this.#overlap.set(key, topicOverlap(a, b));
    return this.#overlap.get(key)!;
  }

  covers(a: string, b: string): TopicCoverage | null {
    const key = JSON.stringify([a, b]);
    if (!this.#covers.has(key)) this.#covers.set(key, topicCovers(a, b));
    return this.#covers.get(key)!;
  }
}

function topicPairs(t: Index, relations: Relations, maxPairBindings: number, out: Finding[]): void {
  for (const [name, exchange] of t.exchanges) {
    if (exchange.type !== 'topic') continue;
    // A key RabbitMQ refuses binds nothing, so it relates to nothing (many-hashes reports it).
    const bindings = (t.bindingsFrom.get(name) ?? []).filter((b) => validateTopicBindingKey(b.routingKey) === null).slice(0, maxPairBindings);
    for (let i = 0; i < bindings.length; i++) {
      for (let j = i + 1; j < bindings.length; j++) {
        const found = topicPair(name, bindings[i]!, bindings[j]!, relations);
        if (found) out.push(found);
      }
    }
  }
}

/** The covers or overlap finding for two bindings of topic exchange `x`, if any. */
function topicPair(x: string, a: TopologyBinding, b: TopologyBinding, relations: Relations): Finding | null {
  if (isDuplicate(a, b)) return null;
  const shared = relations.overlap(a.routingKey, b.routingKey);
  if (shared === null) return null;
  const example = { routingKey: shared, matches: [a.id, b.id], misses: [] };
  const aInB = relations.covers(a.routingKey, b.routingKey)?.covers === true;
  const bInA = relations.covers(b.routingKey, a.routingKey)?.covers === true;
  const same = sameDestination(a, b);
  const refs = refsOf(a, b);
  if (aInB && bInA) return equivalentPair(x, a, b, same, refs, example);
  if (aInB || bInA) {
    const [narrow, broad] = aInB ? [a, b] : [b, a];
    return coveredPair(x, narrow, broad, same, relations, refs, example);
  }
  if (same) return null; // overlapping keys to one destination: it still gets each message once.
  return finding(
    'topic-overlap',
    'overlap',
    'info',
    [a.id, b.id],
    `On exchange ${q(x)}, routing key ${q(shared)} matches both ${q(a.routingKey)} (to ${destinationText(a)}) and ` +
      `${q(b.routingKey)} (to ${destinationText(b)}), so such messages go to both.`,
    refs,
    example,
  );
}

/** Two keys that match exactly the same routing keys: null for one key bound to two destinations (plain fan-out). */
function equivalentPair(
  x: string,
  a: TopologyBinding,
  b: TopologyBinding,
  same: boolean,
  refs: Refs,
  example: NonNullable<Finding['example']>,
): Finding | null {
  const sameKey = a.routingKey === b.routingKey;
  if (sameKey && !same) return null;
  const message = sameKey
    ? `On exchange ${q(x)}, two bindings to ${destinationText(a)} both use key ${q(a.routingKey)} and differ only in their arguments, which a topic exchange ignores: one of them is redundant.`
    : same
      ? `On exchange ${q(x)}, keys ${q(a.routingKey)} and ${q(b.routingKey)} (both to ${destinationText(a)}) match exactly the same routing keys: one of the two bindings is redundant.`
      : `On exchange ${q(x)}, keys ${q(a.routingKey)} (to ${destinationText(a)}) and ${q(b.routingKey)} (to ${destinationText(b)}) match exactly the same routing keys, so both get the same messages through them.`;
  // Two bindings to one destination that match the same keys are a duplicate in effect.
  if (same) return finding('equivalent-bindings', 'duplicate', 'warning', [a.id, b.id], message, refs, example);
  return finding('topic-covers', 'covers', 'info', [a.id, b.id], message, refs, example);
}

function coveredPair(
  x: string,
  narrow: TopologyBinding,
  broad: TopologyBinding,
  same: boolean,
  relations: Relations,
  refs: Refs,
  example: NonNullable<Finding['example']>,
): Finding {
  const strict = relations.covers(broad.routingKey, narrow.routingKey);
  const notBack = strict && !strict.covers ? ` (not the other way: ${keyText(strict.counterexample)} matches only ${q(broad.routingKey)})` : '';
  const message = same
    ? `On exchange ${q(x)}, the binding ${q(narrow.routingKey)} to ${destinationText(narrow)} is redundant: every routing key it matches also matches ` +
      `${q(broad.routingKey)}, which binds the same ${narrow.destinationKind}${notBack}.`
    : `On exchange ${q(x)}, every routing key that matches ${q(narrow.routingKey)} (to ${destinationText(narrow)}) also matches ` +
      `${q(broad.routingKey)} (to ${destinationText(broad)}), so those messages go to both${notBack}.`;
  return finding('topic-covers', 'covers', same ? 'warning' : 'info', [narrow.id, broad.id], message, refs, example);
}

// ---------------------------------------------------------------------------------------------
// pattern
// ---------------------------------------------------------------------------------------------

function patternLints(t: Index, relations: Relations, out: Finding[]): void {
  for (const b of t.input.bindings) {
    const type = typeOf(t, b.source);
    if (type === 'topic') topicPatternLints(t, b, relations, out);
    else if (type === 'direct' && b.source !== '') directWildcard(b, relations, out);
    else if (type === 'fanout' && b.routingKey !== '') {
      out.push(
        finding(
          'fanout-key-ignored',
          'pattern',
          'info',
          [b.id],
          `Fanout exchange ${q(b.source)} ignores binding keys: its binding to ${destinationText(b)} with key ${q(b.routingKey)} gets every message, whatever its routing key.`,
          refsOf(b),
        ),
      );
    }
  }
}

/** `"a.#" (exchange "x" to queue "q")`: how a pattern finding names its binding. */
function keyOf(b: TopologyBinding): string {
  return `Binding key ${q(b.routingKey)} (exchange ${q(b.source)} to ${destinationText(b)})`;
}

function topicPatternLints(t: Index, b: TopologyBinding, relations: Relations, out: Finding[]): void {
  const words = splitWords(b.routingKey);
  const refused = validateTopicBindingKey(b.routingKey);
  // A refused key binds nothing, so it matches nothing either: only many-hashes speaks for it.
  if (refused !== null) {
    out.push(finding('many-hashes', 'pattern', 'error', [b.id], `RabbitMQ 4.3.6 refuses this binding of exchange ${q(b.source)} to ${destinationText(b)}. ${refused}.`, refsOf(b)));
    return;
  }
  if (words.some((word, i) => word === '#' && words[i + 1] === '#')) out.push(hashHash(b, words));
  if (words.includes('')) out.push(emptyWord(b, words, relations));
  if (relations.covers('#', b.routingKey)?.covers === true) {
    const ae = stringArgument(t.exchanges.get(b.source)?.arguments ?? emptyFieldTable(), 'alternate-exchange');
    const aeText = ae === undefined ? '' : ` (and its alternate exchange ${q(ae)} is never used)`;
    out.push(
      finding(
        'match-everything',
        'pattern',
        'info',
        [b.id],
        `${keyOf(b)} matches every routing key, the empty one too, so ${destinationText(b)} gets every message that reaches ${q(b.source)}${aeText}.`,
        refsOf(b),
      ),
    );
  }
}

function hashHash(b: TopologyBinding, words: readonly string[]): Finding {
  const collapsed = words.filter((word, i) => !(word === '#' && words[i - 1] === '#')).join('.');
  // Claim "the same as" only once both directions are proven.
  const proven = topicCovers(b.routingKey, collapsed)?.covers === true && topicCovers(collapsed, b.routingKey)?.covers === true;
  const same = proven ? `, so it matches exactly what ${q(collapsed)} matches` : '';
  return finding(
    'hash-hash',
    'pattern',
    'warning',
    [b.id],
    `${keyOf(b)} has adjacent "#" words: "#.#" takes the same words as one "#"${same}. It still counts twice toward RabbitMQ's limit of two "#" per key.`,
    refsOf(b),
  );
}

function emptyWord(b: TopologyBinding, words: readonly string[], relations: Relations): Finding {
  // The key the author most likely meant: the pattern without its empty words, wildcards filled
  // in. It has fewer words than the pattern needs, so it never matches (checked all the same).
  const intended = words.filter((word) => word !== '' && word !== '#').map((word) => (word === '*' ? 'x' : word)).join('.');
  const proven = !matchTopic(b.routingKey, intended);
  const matching = relations.overlap(b.routingKey, b.routingKey);
  const shown = proven ? `: ${keyText(intended)} does not match it` : '';
  const does = matching === null ? '' : `${proven ? ', while' : ': for example'} ${q(matching)} does`;
  return finding(
    'empty-word',
    'pattern',
    'warning',
    [b.id],
    `${keyOf(b)} has an empty word, which matches only an empty word in the routing key${shown}${does}. Empty words are allowed, but usually a stray ".".`,
    refsOf(b),
    proven ? { routingKey: intended, matches: [], misses: [b.id] } : undefined,
  );
}

function directWildcard(b: TopologyBinding, relations: Relations, out: Finding[]): void {
  if (!splitWords(b.routingKey).some((word) => word === '*' || word === '#')) return;
  // What a topic exchange would have matched (one word or more when it can: easier to read than
  // the empty key): never the key itself, since the search fills wildcards with plain words.
  const topicKey = relations.overlap(b.routingKey, '*.#') ?? relations.overlap(b.routingKey, b.routingKey);
  if (topicKey === null || topicKey === b.routingKey) return;
  out.push(
    finding(
      'direct-wildcard',
      'pattern',
      'warning',
      [b.id],
      `Direct exchange ${q(b.source)} compares binding key ${q(b.routingKey)} (to ${destinationText(b)}) literally: ${keyText(topicKey)} does not match it, only the routing key ${q(b.routingKey)} does. "*" and "#" are wildcards on topic exchanges only.`,
      refsOf(b),
      { routingKey: topicKey, matches: [], misses: [b.id] },
    ),
  );
}

// ---------------------------------------------------------------------------------------------
// headers
// ---------------------------------------------------------------------------------------------

function headersLints(t: Index, out: Finding[]): void {
  for (const b of t.input.bindings) {
    if (typeOf(t, b.source) !== 'headers') continue;
    const refused = validateHeadersBinding(b.arguments);
    if (refused !== null) {
      out.push(finding('headers-invalid-x-match', 'headers', 'error', [b.id], `RabbitMQ refuses the binding of headers exchange ${q(b.source)} to ${destinationText(b)}: ${refused}.`, refsOf(b)));
      continue;
    }
    const found = headersVerdictLint(b);
    if (found) out.push(found);
  }
}

/** headers-no-keys / headers-only-x: a binding with nothing to compare, proven with matchHeaders. */
function headersVerdictLint(b: TopologyBinding): Finding | null {
  const keys = Object.keys(b.arguments).filter((key) => key !== 'x-match');
  if (compileHeadersBinding(b.arguments).conditions.length > 0) return null;
  const rule = xMatchOf(b.arguments);
  const any = rule === 'any' || rule === 'any-with-x';
  // The message carrying exactly the binding's own headers: the one most likely meant to match.
  const lookalike = emptyFieldTable();
  for (const key of keys) lookalike[key] = b.arguments[key]!;
  const proven = any
    ? !matchHeaders(b.arguments, undefined) && !matchHeaders(b.arguments, lookalike)
    : matchHeaders(b.arguments, undefined) && matchHeaders(b.arguments, emptyFieldTable());
  if (!proven) return null;
  const where = `the binding of headers exchange ${q(b.source)} to ${destinationText(b)}`;
  if (keys.length === 0) {
    const verdict = any ? 'matches no message' : 'matches every message, even one without headers';
    return finding('headers-no-keys', 'headers', 'warning', [b.id], `${capitalize(where)} has no header keys to compare, so under x-match ${rule} it ${verdict}.`, refsOf(b));
  }
  const verdict = any ? 'matches no message, not even one carrying exactly these headers' : 'matches every message, even one without these headers';
  return finding(
    'headers-only-x',
    'headers',
    'warning',
    [b.id],
    `Every key of ${where} starts with "x-" (${listText(keys.map(q))}), and RabbitMQ compares such keys only under x-match all-with-x or any-with-x: under x-match ${rule} it ${verdict}.`,
    refsOf(b),
  );
}

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

// ---------------------------------------------------------------------------------------------
// topology
// ---------------------------------------------------------------------------------------------

function topologyLints(t: Index, out: Finding[]): void {
  const { input } = t;
  const boundQueues = new Set(input.bindings.filter((b) => b.destinationKind === 'queue').map((b) => b.destination));
  const defaultTargets = new Set(input.publishers.filter((p) => p.exchange === '').map((p) => p.routingKey));
  for (const queue of input.queues) {
    // A dead-letter routing key through the default exchange names its queue directly.
    if (stringArgument(queue.arguments, 'x-dead-letter-exchange') === '') {
      const key = stringArgument(queue.arguments, 'x-dead-letter-routing-key');
      if (key !== undefined) defaultTargets.add(key);
    }
  }
  const consumed = new Set(input.consumers.map((c) => c.queue));
  for (const queue of input.queues) {
    if (!boundQueues.has(queue.name) && !defaultTargets.has(queue.name)) {
      out.push(
        finding(
          'queue-unbound',
          'topology',
          'warning',
          [queue.name],
          `Queue ${q(queue.name)} has no bindings, and no publisher or dead-letter routing key sends to it through the default exchange, so nothing here routes messages to it.`,
          { queues: [queue.name] },
        ),
      );
    }
    if (!consumed.has(queue.name)) {
      out.push(finding('queue-unconsumed', 'topology', 'info', [queue.name], `No consumer reads from queue ${q(queue.name)}, so the messages that reach it wait there.`, { queues: [queue.name] }));
    }
  }
  unusedExchanges(t, out);
  missingTargets(t, out);
}

function unusedExchanges(t: Index, out: Finding[]): void {
  const { input } = t;
  const used = new Set<string>(input.publishers.map((p) => p.exchange));
  for (const b of input.bindings) if (b.destinationKind === 'exchange') used.add(b.destination);
  for (const x of input.exchanges) {
    const ae = stringArgument(x.arguments, 'alternate-exchange');
    if (ae !== undefined) used.add(ae);
  }
  for (const queue of input.queues) {
    const dlx = stringArgument(queue.arguments, 'x-dead-letter-exchange');
    if (dlx !== undefined) used.add(dlx);
  }
  for (const x of input.exchanges) {
    if (isBuiltIn(x.name) || used.has(x.name)) continue;
    out.push(
      finding(
        'exchange-unused',
        'topology',
        'info',
        [x.name],
        `Nothing sends messages to exchange ${q(x.name)}: no publisher publishes to it, no exchange is bound to it, and it is no exchange's alternate exchange and no queue's dead-letter exchange.`,
        { exchanges: [x.name], bindings: (t.bindingsFrom.get(x.name) ?? []).map((b) => b.id) },
      ),
    );
  }
}

function missingTargets(t: Index, out: Finding[]): void {
  for (const x of t.input.exchanges) {
    const ae = stringArgument(x.arguments, 'alternate-exchange');
    if (ae === undefined || t.exchanges.has(ae)) continue;
    out.push(
      finding(
        'alternate-missing',
        'topology',
        'warning',
        [x.name],
        `Exchange ${q(x.name)} has alternate exchange ${q(ae)}, which does not exist: a message that matches none of its bindings is unroutable (dropped, or returned to a mandatory publisher).`,
        { exchanges: [x.name, ae] },
      ),
    );
  }
  for (const queue of t.input.queues) {
    const dlx = stringArgument(queue.arguments, 'x-dead-letter-exchange');
    if (dlx === undefined || t.exchanges.has(dlx)) continue;
    const atLeastOnce = stringArgument(queue.arguments, 'x-dead-letter-strategy') === 'at-least-once';
    // Not simulated here: RabbitMQ's at-least-once strategy (quorum queues, with x-overflow reject-publish) keeps them.
    const note = atLeastOnce
      ? ' (RabbitMQ keeps them instead in a quorum queue with x-dead-letter-strategy at-least-once and x-overflow reject-publish, retrying until they are routed; this simulator drops them)'
      : '';
    out.push(
      finding(
        'dead-letter-missing',
        'topology',
        'warning',
        [queue.name],
        `Queue ${q(queue.name)} has dead-letter exchange ${q(dlx)}, which does not exist: messages that die in it (rejected, expired or over a limit) are dropped${note}.`,
        { queues: [queue.name], exchanges: [dlx] },
      ),
    );
  }
}

// ---------------------------------------------------------------------------------------------
// loop: alternate exchanges and exchange-to-exchange bindings
// ---------------------------------------------------------------------------------------------

/** The existing alternate exchange of `x`, if any. */
function alternateOf(t: Index, x: string): string | undefined {
  const ae = stringArgument(t.exchanges.get(x)?.arguments ?? emptyFieldTable(), 'alternate-exchange');
  return ae !== undefined && t.exchanges.has(ae) ? ae : undefined;
}

function arrow(names: readonly string[]): string {
  return names.map(q).join(' → ');
}

function alternateLoops(t: Index, out: Finding[]): void {
  const done = new Set<string>();
  for (const start of t.exchangeOrder) {
    const chain: string[] = [];
    let at: string | undefined = start;
    while (at !== undefined && !chain.includes(at) && !done.has(at)) {
      chain.push(at);
      at = alternateOf(t, at);
    }
    for (const name of chain) done.add(name);
    if (at === undefined || !chain.includes(at)) continue;
    const loop = chain.slice(chain.indexOf(at));
    out.push(
      finding(
        'alternate-loop',
        'loop',
        'warning',
        [...loop].sort(),
        `Alternate exchanges form a loop: ${arrow([...loop, loop[0]!])}. RabbitMQ visits each exchange once per message, so the loop ends: a message that matches no binding along it is unroutable (dropped, or returned to a mandatory publisher).`,
        { exchanges: loop },
      ),
    );
  }
}

/** Strongly connected components of the exchange-to-exchange binding graph (Tarjan), in discovery order. */
function exchangeComponents(t: Index): string[][] {
  const edges = new Map<string, string[]>();
  for (const b of t.input.bindings) {
    if (b.destinationKind !== 'exchange') continue;
    const list = edges.get(b.source) ?? [];
    list.push(b.destination);
    edges.set(b.source, list);
  }
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const components: string[][] = [];
  const connect = (v: string): void => {
    index.set(v, index.size);
    low.set(v, index.get(v)!);
    stack.push(v);
    onStack.add(v);
    for (const w of edges.get(v) ?? []) {
      if (!index.has(w)) {
        connect(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, index.get(w)!));
    }
    if (low.get(v) !== index.get(v)) return;
    const component: string[] = [];
    let w: string;
    do {
      w = stack.pop()!;
      onStack.delete(w);
      component.push(w);
    } while (w !== v);
    components.push(component.reverse());
  };
  for (const b of t.input.bindings) if (b.destinationKind === 'exchange' && !index.has(b.source)) connect(b.source);
  return components;
}

/** A shortest cycle from `start` back to it inside `members`, as the bindings taken. */
function cycleThrough(t: Index, start: string, members: ReadonlySet<string>): TopologyBinding[] {
  const via = new Map<string, TopologyBinding>();
  const queue = [start];
  for (let head = 0; head < queue.length; head++) {
    const x = queue[head]!;
    for (const b of t.bindingsFrom.get(x) ?? []) {
      if (b.destinationKind !== 'exchange' || !members.has(b.destination)) continue;
      if (b.destination === start) {
        const path = [b];
        for (let at = x; at !== start; at = via.get(at)!.source) path.unshift(via.get(at)!);
        return path;
      }
      if (via.has(b.destination)) continue;
      via.set(b.destination, b);
      queue.push(b.destination);
    }
  }
  return [];
}

function exchangeBindingCycles(t: Index, out: Finding[]): void {
  for (const component of exchangeComponents(t)) {
    const members = new Set(component);
    const start = component[0]!;
    const cycle = cycleThrough(t, start, members);
    if (cycle.length === 0) continue; // a single exchange not bound to itself
    const inside = t.input.bindings.filter((b) => b.destinationKind === 'exchange' && members.has(b.source) && members.has(b.destination));
    const path = [start, ...cycle.map((b) => b.destination)];
    out.push(
      finding(
        'exchange-binding-cycle',
        'loop',
        'info',
        [...component].sort(),
        `Exchange-to-exchange bindings form a cycle: ${arrow(path)}. It is harmless for routing: RabbitMQ visits each exchange at most once per message, so nothing goes round and each queue still gets one copy.`,
        { exchanges: component, bindings: inside.map((b) => b.id) },
      ),
    );
  }
}

// ---------------------------------------------------------------------------------------------
// loop: dead letters
// ---------------------------------------------------------------------------------------------

/** How a routed message reached a queue: the bindings and exchanges on the way. */
interface RoutePath {
  bindings: string[];
  exchanges: string[];
}

type BindingVerdict = 'yes' | 'no' | 'unknown';

/**
 * Does a binding take a message with `key` whose headers are unknown? Headers bindings are known
 * only when they compare nothing (RabbitMQ refuses an invalid x-match, so it binds nothing).
 * x-local-random takes each message on one bound queue: "yes" for each, as a possibility.
 */
function verdictOf(type: string | undefined, b: TopologyBinding, key: string): BindingVerdict {
  switch (type) {
    case 'direct':
      return b.routingKey === key ? 'yes' : 'no';
    case 'topic':
      return validateTopicBindingKey(b.routingKey) === null && matchTopic(b.routingKey, key) ? 'yes' : 'no';
    case 'fanout':
    case 'x-local-random':
      return 'yes';
    case 'headers':
      if (validateHeadersBinding(b.arguments) !== null) return 'no';
      if (compileHeadersBinding(b.arguments).conditions.length > 0) return 'unknown';
      return matchHeaders(b.arguments, undefined) ? 'yes' : 'no';
    default:
      return 'unknown';
  }
}

/**
 * The queues a message with `key` published to `start` can reach, each with the first path found,
 * walking as routing.ts does: breadth first, each exchange once, the alternate exchange only when
 * no binding matched. Only certain steps are taken: a binding whose verdict depends on headers is
 * not followed, and neither is the alternate exchange behind it.
 */
function routeKey(t: Index, start: string, key: string): Map<string, RoutePath> {
  const reached = new Map<string, RoutePath>();
  if (start === '') {
    if (t.queues.has(key)) reached.set(key, { bindings: [], exchanges: [''] });
    return reached;
  }
  if (!t.exchanges.has(start)) return reached;
  const paths = new Map<string, RoutePath>([[start, { bindings: [], exchanges: [start] }]]);
  const work = [start];
  for (let head = 0; head < work.length; head++) {
    const x = work[head]!;
    const path = paths.get(x)!;
    const type = typeOf(t, x);
    let matched = 0;
    let unknown = false;
    // The default exchange reached through a binding or as an alternate routes nothing (routing.ts).
    for (const b of x === '' ? [] : (t.bindingsFrom.get(x) ?? [])) {
      const verdict = verdictOf(type, b, key);
      if (verdict === 'unknown') unknown = true;
      if (verdict !== 'yes') continue;
      matched++;
      const next = { bindings: [...path.bindings, b.id], exchanges: path.exchanges };
      if (b.destinationKind === 'queue') {
        if (t.queues.has(b.destination) && !reached.has(b.destination)) reached.set(b.destination, next);
      } else if (t.exchanges.has(b.destination) && !paths.has(b.destination)) {
        paths.set(b.destination, { bindings: next.bindings, exchanges: [...path.exchanges, b.destination] });
        work.push(b.destination);
      }
    }
    const ae = matched === 0 && !unknown ? alternateOf(t, x) : undefined;
    if (ae !== undefined && !paths.has(ae)) {
      paths.set(ae, { bindings: path.bindings, exchanges: [...path.exchanges, ae] });
      work.push(ae);
    }
  }
  return reached;
}

/** routeKey, memoised: loop searches route the same (exchange, key) from many queues and seeds. */
class Routes {
  readonly #t: Index;
  readonly #cache = new Map<string, Map<string, RoutePath>>();

  constructor(t: Index) {
    this.#t = t;
  }

  get(start: string, key: string): Map<string, RoutePath> {
    const id = JSON.stringify([start, key]);
    let reached = this.#cache.get(id);
    if (!reached) this.#cache.set(id, (reached = routeKey(this.#t, start, key)));
    return reached;
  }
}

/** A queue's dead-letter settings, when its dead-letter exchange exists. */
function deadLetterOf(t: Index, queue: string): { exchange: string; routingKey: string | undefined } | undefined {
  const args = t.queues.get(queue)?.arguments;
  if (!args) return undefined;
  const exchange = stringArgument(args, 'x-dead-letter-exchange');
  if (exchange === undefined || !t.exchanges.has(exchange)) return undefined;
  return { exchange, routingKey: stringArgument(args, 'x-dead-letter-routing-key') };
}

/**
 * Routing keys a message can have on arriving in `queue` (its dead letters keep them when the
 * queue sets no dead-letter routing key): publishers' keys that route there, then keys matching
 * the bindings into it, each paired with the keys other bindings react to, so a loop through one
 * topic binding on the way back is always found. Each is a possibility, not a certainty.
 */
function arrivalKeys(t: Index, queue: string, relations: Relations, routes: Routes): string[] {
  const keys = new Set<string>();
  const add = (key: string | null): void => {
    if (key !== null && keys.size < MAX_CANDIDATE_KEYS) keys.add(key);
  };
  for (const p of t.input.publishers) if (routes.get(p.exchange, p.routingKey).has(queue)) add(p.routingKey);
  const topicKeys: string[] = [];
  const literalKeys: string[] = [...t.queues.keys()];
  for (const b of t.input.bindings) {
    const type = typeOf(t, b.source);
    if (type === 'topic') topicKeys.push(b.routingKey);
    else if (type === 'direct') literalKeys.push(b.routingKey);
  }
  for (const b of t.input.bindings) {
    if (b.destinationKind !== 'queue' || b.destination !== queue) continue;
    const type = typeOf(t, b.source);
    if (type === 'direct') add(b.routingKey);
    else if (type === 'topic') {
      if (validateTopicBindingKey(b.routingKey) !== null) continue; // refused: it brings nothing
      add(relations.overlap(b.routingKey, b.routingKey));
      for (const other of topicKeys) add(relations.overlap(b.routingKey, other));
      for (const key of literalKeys) if (matchTopic(b.routingKey, key)) add(key);
    } else {
      // The key plays no part here: any key can arrive.
      for (const other of topicKeys) add(relations.overlap(other, other));
      for (const key of literalKeys) add(key);
    }
  }
  return [...keys];
}

/** One dead-lettering on a loop: from `queue`, with `key`, through `exchange` to `to`. */
interface DeadHop {
  queue: string;
  key: string;
  byDeadLetterKey: boolean;
  exchange: string;
  to: string;
  path: RoutePath;
}

/** The first dead-letter path from `start` back to it (breadth first over (queue, key)), or null. */
function deadLetterLoopFrom(t: Index, start: string, relations: Relations, routes: Routes): DeadHop[] | null {
  const dl = deadLetterOf(t, start);
  if (!dl) return null;
  // With a dead-letter routing key the arrival key does not matter: one search, with any key.
  const seeds = dl.routingKey !== undefined ? [dl.routingKey] : arrivalKeys(t, start, relations, routes);
  for (const seed of seeds) {
    const seen = new Set<string>([JSON.stringify([start, seed])]);
    const states: { queue: string; key: string; hops: DeadHop[] }[] = [{ queue: start, key: seed, hops: [] }];
    for (let head = 0; head < states.length && states.length < MAX_LOOP_STATES; head++) {
      const { queue, key, hops } = states[head]!;
      const here = deadLetterOf(t, queue);
      if (!here) continue;
      const deadKey = here.routingKey ?? key;
      for (const [to, path] of routes.get(here.exchange, deadKey)) {
        const hop: DeadHop = { queue, key: deadKey, byDeadLetterKey: here.routingKey !== undefined, exchange: here.exchange, to, path };
        if (to === start) return [...hops, hop];
        const id = JSON.stringify([to, deadKey]);
        if (seen.has(id)) continue;
        seen.add(id);
        states.push({ queue: to, key: deadKey, hops: [...hops, hop] });
      }
    }
  }
  return null;
}

function hopText(hop: DeadHop): string {
  const key = hop.byDeadLetterKey ? `with dead-letter routing key ${q(hop.key)}` : `keeping its routing key ${q(hop.key)}`;
  return `from ${q(hop.queue)} ${key} through dead-letter exchange ${exchangeText(hop.exchange)} to ${q(hop.to)}`;
}

function deadLetterLoops(t: Index, relations: Relations, out: Finding[]): void {
  const reported = new Set<string>();
  const routes = new Routes(t);
  for (const queue of t.input.queues) {
    const hops = deadLetterLoopFrom(t, queue.name, relations, routes);
    if (!hops) continue;
    const members = unique(hops.map((h) => h.queue));
    const id = JSON.stringify([...members].sort());
    if (reported.has(id)) continue;
    reported.add(id);
    const route = hops.map(hopText).join(', then ');
    const bindings = hops.flatMap((h) => h.path.bindings);
    out.push(
      finding(
        'dead-letter-loop',
        'loop',
        'warning',
        [...members].sort(),
        `Dead letters can come back to queue ${q(queue.name)}: ${route}. RabbitMQ 4.x drops a dead letter that would go back into a queue it already died in unless a rejection is among its deaths since then, so a loop of expiries or length or delivery limits ends there, while one where a consumer rejects the message (reject or nack without requeue) goes round again.`,
        { queues: members, exchanges: hops.flatMap((h) => h.path.exchanges), bindings },
        { routingKey: hops[0]!.key, matches: unique(bindings), misses: [] },
      ),
    );
  }
}

// ---------------------------------------------------------------------------------------------
// The analysis
// ---------------------------------------------------------------------------------------------

/**
 * Every finding for a topology, errors first, then warnings, then info (stable within each).
 * Pure and deterministic: the same input gives the same findings, with the same ids.
 */
export function analyzeTopology(input: TopologyInput, options: AnalysisOptions = {}): Finding[] {
  const t = indexOf(input);
  const relations = new Relations();
  const out: Finding[] = [];
  duplicateBindings(t, out);
  equivalentBindings(t, out);
  topicPairs(t, relations, options.maxPairBindings ?? DEFAULT_MAX_PAIR_BINDINGS, out);
  patternLints(t, relations, out);
  headersLints(t, out);
  topologyLints(t, out);
  alternateLoops(t, out);
  deadLetterLoops(t, relations, out);
  exchangeBindingCycles(t, out);
  return out.map((f, i) => [f, i] as const).sort(([a, i], [b, j]) => SEVERITY_RANK[a.severity] - SEVERITY_RANK[b.severity] || i - j).map(([f]) => f);
}
