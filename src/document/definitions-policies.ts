/**
 * Policies of an imported `definitions.json`, folded into the queues (and exchanges) they match,
 * as RabbitMQ 4.3 resolves them, since the diagram has arguments but no policies.
 *
 * - Which policy applies: the one of highest `priority` among those whose `apply-to` takes the
 *   entity, whose pattern matches its name and (for queues) whose every key the queue's type
 *   supports. Sources: rabbit_policy.erl (match_all, priority_comparator, matches_queue_type),
 *   the types' `unsupported_policies` (rabbit_classic_queue, rabbit_quorum_queue,
 *   rabbit_stream_queue capabilities/0), and the oracle broker (definitions-oracle.test.ts).
 *   Between equal priorities RabbitMQ picks "undeterministically" (docs/policies.md; on 4.3.6 the
 *   pick changes with the vhost's name): the import takes the name that sorts first and says so.
 * - How a policy value meets a queue argument (rabbit_amqqueue_process:process_args_policy,
 *   rabbit_quorum_queue:gather_policy_config, rabbit_stream_queue:update_stream_conf, and the
 *   "lesser value" of docs/maxlength.md and docs/ttl.md): the lower of the two for limits and
 *   TTLs, the queue's own for dead-lettering and a classic queue's overflow, and the policy's for
 *   a quorum queue's overflow and a stream's max-length-bytes. See QUEUE_KEYS. (The general rule
 *   of docs/policies.md, "arguments take precedence", is the code's only for the `argument` rows.)
 * - Patterns are Erlang `re` (PCRE, bytes, not UTF-8 mode) regexes, searched anywhere in the
 *   name. They run here on a small Thompson automaton over the name's UTF-8 bytes: time is
 *   O(name bytes × pattern states), never backtracking, so a hostile pattern cannot hang the
 *   page. Features it does not evaluate (back-references, look-around, possessive or atomic
 *   groups, \p classes...) make the policy skipped with the reason, never guessed.
 *
 * Cost: each pattern compiles once (at most MAX_STATES states); matching every queue against
 * every policy is bounded by a shared step budget (MATCH_BUDGET), after which the remaining
 * policies are skipped and the report says so.
 */

import type { JsonTable } from './types';

export type QueueType = 'classic' | 'quorum' | 'stream';

/** Patterns longer than this are not evaluated (a guard against costly patterns). */
export const MAX_PATTERN_LENGTH = 200;
/** Automaton states one pattern may compile to (counted repeats `{n,m}` are expanded). */
const MAX_STATES = 4000;
/** Automaton steps all the matching of one import may take, about 50 ms of work. */
const MATCH_BUDGET = 20_000_000;
/** At most this many policies are read from one vhost. */
export const MAX_POLICIES = 200;

// ------------------------------------------------------------------------- patterns ---

type ByteSet = Uint8Array; // 256 entries, 1 = in the set
type Assertion = 'start' | 'end' | 'end-or-newline' | 'word-boundary' | 'not-word-boundary';
type Ast =
  | { kind: 'set'; set: ByteSet }
  | { kind: 'seq'; items: Ast[] }
  | { kind: 'alt'; options: Ast[] }
  | { kind: 'repeat'; node: Ast; min: number; max: number }
  | { kind: 'assert'; what: Assertion };

type State =
  | { kind: 'set'; set: ByteSet; next: number }
  | { kind: 'split'; a: number; b: number }
  | { kind: 'assert'; what: Assertion; next: number }
  | { kind: 'match' };

/** A compiled pattern: `search` says whether it matches somewhere in a name (as `re:run`). */
export interface Pattern {
  readonly states: number;
  /** The name as text, or already as its UTF-8 bytes; `budget.steps` goes down by the work done. */
  search(name: string | Uint8Array, budget?: { steps: number }): boolean;
}

class Unsupported extends Error {}

const encoder = new TextEncoder();
const isWordByte = (b: number) => (b >= 48 && b <= 57) || (b >= 65 && b <= 90) || (b >= 97 && b <= 122) || b === 95;

function byteSet(test: (b: number) => boolean): ByteSet {
  const set = new Uint8Array(256);
  for (let b = 0; b < 256; b++) if (test(b)) set[b] = 1;
  return set;
}

const DIGIT = byteSet((b) => b >= 48 && b <= 57);
const WORD = byteSet(isWordByte);
// PCRE's \s: space, \t, \n, \v, \f, \r.
const SPACE = byteSet((b) => b === 32 || (b >= 9 && b <= 13));
const ANY_BUT_NEWLINE = byteSet((b) => b !== 10);
const complement = (s: ByteSet) => byteSet((b) => s[b] === 0);

const POSIX: Record<string, ByteSet> = {
  alpha: byteSet((b) => (b >= 65 && b <= 90) || (b >= 97 && b <= 122)),
  digit: DIGIT,
  alnum: byteSet((b) => (b >= 48 && b <= 57) || (b >= 65 && b <= 90) || (b >= 97 && b <= 122)),
  space: SPACE,
  upper: byteSet((b) => b >= 65 && b <= 90),
  lower: byteSet((b) => b >= 97 && b <= 122),
  word: WORD,
  xdigit: byteSet((b) => (b >= 48 && b <= 57) || (b >= 65 && b <= 70) || (b >= 97 && b <= 102)),
};

/** Reads a pattern's bytes into a syntax tree (PCRE syntax, the subset described above). */
class Parser {
  i = 0;
  caseless = false;

  constructor(readonly p: Uint8Array) {}

  parse(): Ast {
    // A leading (?i) is the only inline option taken; PCRE's (*VERB) settings are not.
    if (this.lookingAt('(?i)')) {
      this.caseless = true;
      this.i += 4;
    }
    const ast = this.alternation();
    if (this.i < this.p.length) throw new Unsupported(`an unmatched ')' at position ${this.i + 1}`);
    return ast;
  }

  lookingAt(text: string): boolean {
    for (let k = 0; k < text.length; k++) if (this.p[this.i + k] !== text.charCodeAt(k)) return false;
    return true;
  }

  alternation(): Ast {
    const options = [this.sequence()];
    while (this.p[this.i] === 0x7c /* | */) {
      this.i++;
      options.push(this.sequence());
    }
    return options.length === 1 ? options[0]! : { kind: 'alt', options };
  }

  sequence(): Ast {
    const items: Ast[] = [];
    while (this.i < this.p.length && this.p[this.i] !== 0x7c && this.p[this.i] !== 0x29 /* ) */) {
      const atom = this.atom();
      items.push(this.quantified(atom));
    }
    return items.length === 1 ? items[0]! : { kind: 'seq', items };
  }

  quantified(atom: Ast): Ast {
    let node = atom;
    for (;;) {
      const c = this.p[this.i];
      let min: number;
      let max: number;
      if (c === 0x2a /* * */) [min, max] = [0, Infinity];
      else if (c === 0x2b /* + */) [min, max] = [1, Infinity];
      else if (c === 0x3f /* ? */) [min, max] = [0, 1];
      else if (c === 0x7b /* { */) {
        const counted = this.counted();
        if (!counted) return node;
        [min, max] = counted;
      } else return node;
      if (c !== 0x7b) this.i++;
      if (node.kind === 'assert') throw new Unsupported('a repeated anchor');
      // A lazy `?` changes which match is found, not whether one is; a possessive `+` does.
      if (this.p[this.i] === 0x3f) this.i++;
      else if (this.p[this.i] === 0x2b) throw new Unsupported('a possessive quantifier');
      if (min > 255) throw new Unsupported('a repeat count above 255 (a name has at most 255 bytes)');
      // Names have at most 255 bytes, so a larger upper bound changes nothing.
      node = { kind: 'repeat', node, min, max: Math.min(max, 255) };
    }
  }

  /** `{n}`, `{n,}` or `{n,m}` at the cursor (consumed), or null when `{` is a literal, as in PCRE. */
  counted(): [number, number] | null {
    const m = /^\{(\d{1,5})(,(\d{0,5}))?\}/.exec(new TextDecoder().decode(this.p.subarray(this.i, this.i + 14)));
    if (!m) return null;
    this.i += m[0].length;
    const min = Number(m[1]);
    const max = m[2] === undefined ? min : m[3] === '' ? Infinity : Number(m[3]);
    if (max < min) throw new Unsupported('a repeat {n,m} with m below n');
    return [min, max];
  }

  atom(): Ast {
    const c = this.p[this.i]!;
    switch (c) {
      case 0x28: // (
        return this.group();
      case 0x5b: // [
        return { kind: 'set', set: this.klass() };
      case 0x2e: // .
        this.i++;
        return { kind: 'set', set: ANY_BUT_NEWLINE };
      case 0x5e: // ^
        this.i++;
        return { kind: 'assert', what: 'start' };
      case 0x24: // $
        this.i++;
        return { kind: 'assert', what: 'end-or-newline' };
      case 0x5c: // backslash
        return this.escape();
      case 0x2a:
      case 0x2b:
      case 0x3f:
        throw new Unsupported('nothing to repeat');
      default:
        this.i++;
        return { kind: 'set', set: this.literal(c) };
    }
  }

  literal(b: number): ByteSet {
    const set = new Uint8Array(256);
    set[b] = 1;
    if (this.caseless) {
      if (b >= 65 && b <= 90) set[b + 32] = 1;
      if (b >= 97 && b <= 122) set[b - 32] = 1;
    }
    return set;
  }

  group(): Ast {
    this.i++;
    if (this.p[this.i] === 0x3f /* ? */) {
      if (this.p[this.i + 1] !== 0x3a /* : */) throw new Unsupported(`the group syntax '(?${String.fromCharCode(this.p[this.i + 1] ?? 0x20)}'`);
      this.i += 2;
    } else if (this.p[this.i] === 0x2a /* * */) {
      throw new Unsupported('a (*VERB)');
    }
    const inner = this.alternation();
    if (this.p[this.i] !== 0x29) throw new Unsupported("a '(' without its ')'");
    this.i++;
    return inner;
  }

  escape(): Ast {
    const c = this.p[this.i + 1];
    if (c === undefined) throw new Unsupported('a trailing backslash');
    this.i += 2;
    switch (String.fromCharCode(c)) {
      case 'b':
        return { kind: 'assert', what: 'word-boundary' };
      case 'B':
        return { kind: 'assert', what: 'not-word-boundary' };
      case 'A':
        return { kind: 'assert', what: 'start' };
      case 'z':
        return { kind: 'assert', what: 'end' };
      case 'Z':
        return { kind: 'assert', what: 'end-or-newline' };
      default:
        this.i -= 2;
        return { kind: 'set', set: this.escapedSet() };
    }
  }

  /** A backslash escape that stands for bytes (in or out of a class); the cursor is on the backslash. */
  escapedSet(): ByteSet {
    const c = this.p[this.i + 1]!;
    this.i += 2;
    const letter = String.fromCharCode(c);
    switch (letter) {
      case 'd':
        return DIGIT;
      case 'D':
        return complement(DIGIT);
      case 'w':
        return WORD;
      case 'W':
        return complement(WORD);
      case 's':
        return SPACE;
      case 'S':
        return complement(SPACE);
      case 't':
        return this.literal(9);
      case 'n':
        return this.literal(10);
      case 'r':
        return this.literal(13);
      case 'f':
        return this.literal(12);
      case 'e':
        return this.literal(27);
      case 'a':
        return this.literal(7);
      case 'x': {
        const m = /^(\{([0-9a-fA-F]{1,2})\}|[0-9a-fA-F]{1,2})/.exec(new TextDecoder().decode(this.p.subarray(this.i, this.i + 4)));
        if (!m) return this.literal(0);
        this.i += m[0].length;
        return this.literal(parseInt(m[2] ?? m[1]!, 16));
      }
      default:
        // An escaped non-alphanumeric byte is itself; escaped letters and digits are features
        // (back-references, \p, \Q...\E, \K, \G...) this matcher does not evaluate.
        if (/[A-Za-z0-9]/.test(letter)) throw new Unsupported(`the escape '\\${letter}'`);
        return this.literal(c);
    }
  }

  klass(): ByteSet {
    this.i++;
    const negate = this.p[this.i] === 0x5e;
    if (negate) this.i++;
    const set = new Uint8Array(256);
    let first = true;
    for (;;) {
      const c = this.p[this.i];
      if (c === undefined) throw new Unsupported("a '[' without its ']'");
      if (c === 0x5d && !first) {
        this.i++;
        break;
      }
      first = false;
      if (c === 0x5b && this.p[this.i + 1] === 0x3a /* [: */) {
        const m = /^\[:(\^?)([a-z]+):\]/.exec(new TextDecoder().decode(this.p.subarray(this.i, this.i + 12)));
        const named = m ? POSIX[m[2]!] : undefined;
        if (!m || !named) throw new Unsupported('a POSIX class this matcher does not know');
        this.i += m[0].length;
        const add = m[1] ? complement(named) : named;
        for (let b = 0; b < 256; b++) if (add[b]) set[b] = 1;
        continue;
      }
      let low: number | null;
      if (c === 0x5c) {
        const escaped = this.p[this.i + 1];
        if (escaped === 0x62 /* \b is backspace in a class */) {
          this.i += 2;
          low = 8;
        } else {
          const s = this.escapedSet();
          const single = singleByte(s, this.caseless);
          if (single === null) {
            for (let b = 0; b < 256; b++) if (s[b]) set[b] = 1;
            continue;
          }
          low = single;
        }
      } else {
        this.i++;
        low = c;
      }
      if (this.p[this.i] === 0x2d /* - */ && this.p[this.i + 1] !== 0x5d && this.p[this.i + 1] !== undefined) {
        this.i++;
        let high: number | null;
        if (this.p[this.i] === 0x5c) {
          high = singleByte(this.escapedSet(), this.caseless);
          if (high === null) throw new Unsupported('a class range ending in a class escape');
        } else {
          high = this.p[this.i++]!;
        }
        if (high < low) throw new Unsupported('a class range out of order');
        for (let b = low; b <= high; b++) this.addCaseless(set, b);
      } else {
        this.addCaseless(set, low);
      }
    }
    return negate ? complement(set) : set;
  }

  addCaseless(set: ByteSet, b: number): void {
    set[b] = 1;
    if (!this.caseless) return;
    if (b >= 65 && b <= 90) set[b + 32] = 1;
    if (b >= 97 && b <= 122) set[b - 32] = 1;
  }
}

/** The one byte a set holds (ignoring the other case of a letter when caseless), or null. */
function singleByte(set: ByteSet, caseless: boolean): number | null {
  let found: number | null = null;
  for (let b = 0; b < 256; b++) {
    if (!set[b]) continue;
    if (found === null) found = b;
    else if (!(caseless && Math.abs(b - found) === 32)) return null;
  }
  return found;
}

/** Builds the automaton backwards: each node is compiled knowing the state that follows it. */
class Compiler {
  readonly states: State[] = [];

  add(state: State): number {
    if (this.states.length >= MAX_STATES) throw new Unsupported(`more than ${MAX_STATES} automaton states (large counted repeats)`);
    this.states.push(state);
    return this.states.length - 1;
  }

  compile(node: Ast, next: number): number {
    switch (node.kind) {
      case 'set':
        return this.add({ kind: 'set', set: node.set, next });
      case 'assert':
        return this.add({ kind: 'assert', what: node.what, next });
      case 'seq': {
        let start = next;
        for (let k = node.items.length - 1; k >= 0; k--) start = this.compile(node.items[k]!, start);
        return start;
      }
      case 'alt': {
        let start = this.compile(node.options[node.options.length - 1]!, next);
        for (let k = node.options.length - 2; k >= 0; k--) start = this.add({ kind: 'split', a: this.compile(node.options[k]!, next), b: start });
        return start;
      }
      case 'repeat': {
        let start = next;
        if (node.max === Infinity) {
          const loop = this.add({ kind: 'split', a: -1, b: next });
          (this.states[loop] as { a: number }).a = this.compile(node.node, loop);
          start = loop;
        } else {
          for (let k = node.min; k < node.max; k++) start = this.add({ kind: 'split', a: this.compile(node.node, start), b: next });
        }
        for (let k = 0; k < node.min; k++) start = this.compile(node.node, start);
        return start;
      }
    }
  }
}

function holds(what: Assertion, bytes: Uint8Array, pos: number): boolean {
  const n = bytes.length;
  switch (what) {
    case 'start':
      return pos === 0;
    case 'end':
      return pos === n;
    case 'end-or-newline':
      return pos === n || (pos === n - 1 && bytes[n - 1] === 10);
    case 'word-boundary':
    case 'not-word-boundary': {
      const before = pos > 0 && isWordByte(bytes[pos - 1]!);
      const after = pos < n && isWordByte(bytes[pos]!);
      return (before !== after) === (what === 'word-boundary');
    }
  }
}

/**
 * Compiles a policy pattern, or says why it is not evaluated (too long, or a feature this
 * matcher leaves out). Invalid PCRE that RabbitMQ would refuse is refused too, mostly.
 */
export function compilePattern(pattern: string): { ok: true; pattern: Pattern } | { ok: false; reason: string } {
  if (pattern.length > MAX_PATTERN_LENGTH) return { ok: false, reason: `its pattern is longer than ${MAX_PATTERN_LENGTH} characters` };
  try {
    const parser = new Parser(encoder.encode(pattern));
    const ast = parser.parse();
    const compiler = new Compiler();
    const match = compiler.add({ kind: 'match' });
    const start = compiler.compile(ast, match);
    const states = compiler.states;
    return { ok: true, pattern: { states: states.length, search: (name, budget) => search(states, start, typeof name === 'string' ? encoder.encode(name) : name, budget) } };
  } catch (e) {
    if (e instanceof Unsupported) return { ok: false, reason: `its pattern uses ${e.message}, which this import does not evaluate` };
    throw e;
  }
}

/** Unanchored search, one pass over the bytes with the set of live states (no backtracking). */
function search(states: readonly State[], start: number, bytes: Uint8Array, budget?: { steps: number }): boolean {
  const seen = new Int32Array(states.length).fill(-1);
  let current: number[] = [];
  let next: number[] = [];
  let found = false;
  let steps = 0;
  const enter = (s: number, pos: number, into: number[]) => {
    // Iterative closure over split and assertion states; `seen` marks a state once per position.
    const stack = [s];
    while (stack.length > 0) {
      const id = stack.pop()!;
      if (seen[id] === pos) continue;
      seen[id] = pos;
      steps++;
      const st = states[id]!;
      if (st.kind === 'match') found = true;
      else if (st.kind === 'set') into.push(id);
      else if (st.kind === 'split') stack.push(st.b, st.a);
      else if (holds(st.what, bytes, pos)) stack.push(st.next);
    }
  };
  for (let pos = 0; pos <= bytes.length && !found; pos++) {
    enter(start, pos, current);
    if (found || pos === bytes.length) break;
    const b = bytes[pos]!;
    for (const id of current) {
      const st = states[id] as Extract<State, { kind: 'set' }>;
      if (st.set[b]) enter(st.next, pos + 1, next);
    }
    [current, next] = [next, []];
  }
  if (budget) budget.steps -= steps;
  return found;
}

// ------------------------------------------------------------------------- policies ---

type Resolve = 'min' | 'argument' | 'policy' | 'delivery-limit';

/**
 * The policy keys the playground folds into queue arguments, with how RabbitMQ 4.3 combines a
 * policy value with the queue's own argument, per queue type (absent: the type ignores it).
 */
const QUEUE_KEYS: Record<string, { argument: string; value: 'integer' | 'positive' | 'string' | 'overflow' | 'strategy'; resolve: Partial<Record<QueueType, Resolve>> }> = {
  'message-ttl': { argument: 'x-message-ttl', value: 'integer', resolve: { classic: 'min', quorum: 'min' } },
  expires: { argument: 'x-expires', value: 'positive', resolve: { classic: 'min', quorum: 'min' } },
  'max-length': { argument: 'x-max-length', value: 'integer', resolve: { classic: 'min', quorum: 'min' } },
  'max-length-bytes': { argument: 'x-max-length-bytes', value: 'integer', resolve: { classic: 'min', quorum: 'min', stream: 'policy' } },
  overflow: { argument: 'x-overflow', value: 'overflow', resolve: { classic: 'argument', quorum: 'policy' } },
  'dead-letter-exchange': { argument: 'x-dead-letter-exchange', value: 'string', resolve: { classic: 'argument', quorum: 'argument' } },
  'dead-letter-routing-key': { argument: 'x-dead-letter-routing-key', value: 'string', resolve: { classic: 'argument', quorum: 'argument' } },
  'delivery-limit': { argument: 'x-delivery-limit', value: 'integer', resolve: { quorum: 'delivery-limit' } },
  'dead-letter-strategy': { argument: 'x-dead-letter-strategy', value: 'strategy', resolve: { quorum: 'argument' } },
};

/**
 * Policy keys each queue type does not support (its `unsupported_policies`): a policy holding
 * any of them does not apply to a queue of that type at all, and a lower one may apply instead.
 */
const UNSUPPORTED: Record<QueueType, ReadonlySet<string>> = {
  classic: new Set([
    'max-age',
    'stream-max-segment-size-bytes',
    'initial-cluster-size',
    'delivery-limit',
    'dead-letter-strategy',
    'max-in-memory-length',
    'max-in-memory-bytes',
    'target-group-size',
    'filter-field-names',
  ]),
  quorum: new Set([
    'max-priority',
    'queue-mode',
    'ha-mode',
    'ha-params',
    'ha-sync-mode',
    'ha-promote-on-shutdown',
    'ha-promote-on-failure',
    'queue-master-locator',
    'max-age',
    'stream-max-segment-size-bytes',
    'initial-cluster-size',
  ]),
  stream: new Set([
    'expires',
    'message-ttl',
    'dead-letter-exchange',
    'dead-letter-routing-key',
    'max-length',
    'max-in-memory-length',
    'max-in-memory-bytes',
    'max-priority',
    'overflow',
    'queue-mode',
    'delivery-limit',
    'ha-mode',
    'ha-params',
    'ha-sync-mode',
    'ha-promote-on-shutdown',
    'ha-promote-on-failure',
    'queue-master-locator',
    'dead-letter-strategy',
    'target-group-size',
  ]),
};

const APPLY_TO = ['all', 'queues', 'exchanges', 'classic_queues', 'quorum_queues', 'streams'] as const;
type ApplyTo = (typeof APPLY_TO)[number];

const TYPE_APPLY_TO: Record<QueueType, ApplyTo> = { classic: 'classic_queues', quorum: 'quorum_queues', stream: 'streams' };

/** A queue a policy may change: its name, type and (mutable) arguments in the document's form. */
export interface PolicyQueue {
  name: string;
  type: QueueType;
  arguments: JsonTable;
}

/** An exchange a policy may change (only `alternate-exchange` is modelled). */
export interface PolicyExchange {
  name: string;
  arguments: JsonTable;
}

/** Where the report's sentences go. */
export interface PolicyLines {
  skipped: string[];
  fixed: string[];
  notes: string[];
}

interface Policy {
  name: string;
  pattern: Pattern;
  patternText: string;
  applyTo: ApplyTo;
  priority: number;
  definition: Record<string, unknown>;
}

const own = (o: object, key: string) => Object.prototype.hasOwnProperty.call(o, key);
const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const byName = (a: { name: string }, b: { name: string }) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);
const show = (v: unknown) => (typeof v === 'string' ? `'${v}'` : JSON.stringify(v));

/** Names for a sentence: `'a', 'b' and 'c'`, at most `limit` then "and N more". */
export function nameList(names: readonly string[], limit = 8): string {
  const shown = names.slice(0, limit).map((n) => `'${n}'`);
  const more = names.length - shown.length;
  if (more > 0) return `${shown.join(', ')} and ${more} more`;
  return shown.length <= 1 ? shown.join('') : `${shown.slice(0, -1).join(', ')} and ${shown[shown.length - 1]}`;
}

/** A policy entry as RabbitMQ validates it (rabbit_policy:policy_validation), or why it is skipped. */
function readPolicy(entry: unknown): Policy | string {
  if (!isObject(entry)) return 'A policy entry that is not an object was skipped.';
  const name = typeof entry.name === 'string' ? entry.name : null;
  if (name === null || name.length > 255) return 'A policy without a usable name was skipped.';
  const label = `Policy '${name}'`;
  if (typeof entry.pattern !== 'string') return `${label} has no pattern: skipped.`;
  const applyTo = own(entry, 'apply-to') ? entry['apply-to'] : 'all';
  if (!APPLY_TO.includes(applyTo as ApplyTo)) return `${label} applies to ${show(applyTo)}, which RabbitMQ 4.3 does not know: skipped.`;
  const priority = own(entry, 'priority') ? entry.priority : 0;
  if (typeof priority !== 'number' || !Number.isFinite(priority)) return `${label} has a priority that is not a number: skipped.`;
  if (!isObject(entry.definition)) return `${label} has no definition: skipped.`;
  const compiled = compilePattern(entry.pattern);
  if (!compiled.ok) return `${label} was not applied: ${compiled.reason}.`;
  const definition: Record<string, unknown> = {};
  for (const key of Object.keys(entry.definition)) if (key !== '__proto__' && key !== 'constructor' && key !== 'prototype') definition[key] = entry.definition[key];
  return { name, pattern: compiled.pattern, patternText: entry.pattern, applyTo: applyTo as ApplyTo, priority, definition };
}

/** A policy value as the argument it becomes (the document's JSON form), or why it cannot be. */
function policyValue(kind: (typeof QUEUE_KEYS)[string]['value'], value: unknown): unknown {
  switch (kind) {
    case 'integer':
    case 'positive':
      if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0 || (kind === 'positive' && value === 0)) return undefined;
      return value;
    case 'string':
      return typeof value === 'string' && value.length <= 255 ? value : undefined;
    case 'overflow':
      return value === 'drop-head' || value === 'reject-publish' || value === 'reject-publish-dlx' ? value : undefined;
    case 'strategy':
      return value === 'at-most-once' || value === 'at-least-once' ? value : undefined;
  }
}

function appliesToQueue(policy: Policy, q: Pick<PolicyQueue, 'type'>): boolean {
  if (policy.applyTo !== 'all' && policy.applyTo !== 'queues' && policy.applyTo !== TYPE_APPLY_TO[q.type]) return false;
  return Object.keys(policy.definition).every((key) => !UNSUPPORTED[q.type].has(key));
}

/** The policy RabbitMQ picks among those that apply: highest priority (then, here, the smallest name). */
function winner(candidates: readonly Policy[]): Policy | undefined {
  let best: Policy | undefined;
  for (const p of candidates) if (!best || p.priority > best.priority || (p.priority === best.priority && p.name < best.name)) best = p;
  return best;
}

/** The other candidates with the winner's priority: RabbitMQ could have picked any of them. */
function tiedWith(best: Policy | undefined, candidates: readonly Policy[]): Policy[] {
  return best ? candidates.filter((p) => p !== best && p.priority === best.priority) : [];
}

/** What one policy did, gathered for its sentence. */
interface Effect {
  queues: string[];
  exchanges: string[];
  details: string[];
  overriddenBy: Set<string>;
  matchedAny: boolean;
}

/**
 * Applies the vhost's policies to its queues and exchanges, changing their `arguments` in place
 * and writing one sentence per policy. Entries are the `policies` of the chosen vhost.
 */
export function applyPolicies(entries: readonly unknown[], queues: readonly PolicyQueue[], exchanges: readonly PolicyExchange[], lines: PolicyLines): void {
  const policies = readPolicies(entries, lines);
  if (policies.length === 0) return;
  const budget = { steps: MATCH_BUDGET };
  const effects = new Map<string, Effect>(policies.map((p) => [p.name, { queues: [], exchanges: [], details: [], overriddenBy: new Set(), matchedAny: false }]));
  const matches = matcher(budget);

  // Ties: the sorted names of the tied policies → the entities where they tied.
  const ties = new Map<string, string[]>();
  const choose = (candidates: Policy[], entity: string) => {
    const best = winner(candidates);
    for (const p of candidates) {
      effects.get(p.name)!.matchedAny = true;
      if (p !== best) effects.get(p.name)!.overriddenBy.add(best!.name);
    }
    const tied = tiedWith(best, candidates);
    if (tied.length > 0) {
      const key = JSON.stringify([best!, ...tied].map((p) => p.name).sort());
      ties.set(key, [...(ties.get(key) ?? []), entity]);
    }
    return best;
  };
  for (const q of [...queues].sort(byName)) {
    const best = choose(policies.filter((p) => appliesToQueue(p, q) && matches(p, q.name)), `queue '${q.name}'`);
    if (best) applyToQueue(best, q, effects.get(best.name)!);
  }
  for (const x of [...exchanges].sort(byName)) {
    const best = choose(policies.filter((p) => (p.applyTo === 'all' || p.applyTo === 'exchanges') && matches(p, x.name)), `exchange '${x.name}'`);
    if (best) applyToExchange(best, x, effects.get(best.name)!);
  }
  if (budget.steps <= 0) {
    lines.skipped.push('Matching the policies against the names took too long; some policies may not have been applied to every queue.');
  }
  for (const p of policies) describePolicy(p, effects.get(p.name)!, lines);
  for (const [key, entities] of ties) {
    const names = JSON.parse(key) as string[];
    const shown = entities.slice(0, 8).join(', ') + (entities.length > 8 ? ` and ${entities.length - 8} more` : '');
    lines.notes.push(
      `Policies ${nameList(names)} have the same priority and all match ${shown}: RabbitMQ then applies one of them undeterministically, so the import took '${names[0]}', the name that sorts first. Give them different priorities to be sure.`,
    );
  }
}

/** The usable policies of the entries (at most MAX_POLICIES, unique names), sorted by name; the rest get a line. */
function readPolicies(entries: readonly unknown[], lines: PolicyLines): Policy[] {
  if (entries.length > MAX_POLICIES) {
    lines.skipped.push(`The vhost has ${entries.length} policies; only the first ${MAX_POLICIES} were read.`);
  }
  const policies: Policy[] = [];
  const seen = new Set<string>();
  for (const entry of entries.slice(0, MAX_POLICIES)) {
    const p = readPolicy(entry);
    if (typeof p === 'string') lines.skipped.push(p);
    else if (seen.has(p.name)) lines.skipped.push(`Policy '${p.name}' appears twice; the second was skipped.`);
    else {
      seen.add(p.name);
      policies.push(p);
    }
  }
  return policies.sort(byName);
}

/** `matches(policy, name)` with each name encoded once and all the work drawn from one budget. */
function matcher(budget: { steps: number }): (p: Policy, name: string) => boolean {
  const bytes = new Map<string, Uint8Array>();
  return (p, name) => {
    let b = bytes.get(name);
    if (!b) bytes.set(name, (b = encoder.encode(name)));
    return budget.steps > 0 && p.pattern.search(b, budget);
  };
}

/**
 * The names of the policies RabbitMQ may apply to each queue: none, one, or several of equal
 * priority (it then picks one undeterministically); the import takes the first. What
 * `rabbitmqctl list_queues name policy` shows is one of them. For tests against a real broker.
 */
export function queuePolicyNames(entries: readonly unknown[], queues: readonly Omit<PolicyQueue, 'arguments'>[]): Map<string, string[]> {
  const policies = readPolicies(entries, { skipped: [], fixed: [], notes: [] });
  const matches = matcher({ steps: MATCH_BUDGET });
  return new Map(
    queues.map((q) => {
      const candidates = policies.filter((p) => appliesToQueue(p, q) && matches(p, q.name));
      const best = winner(candidates);
      return [q.name, best ? [best, ...tiedWith(best, candidates)].map((p) => p.name).sort() : []];
    }),
  );
}

function applyToQueue(p: Policy, q: PolicyQueue, effect: Effect): void {
  for (const [key, value] of Object.entries(p.definition)) {
    const spec = QUEUE_KEYS[key];
    const resolve = spec?.resolve[q.type];
    if (!spec || !resolve) continue;
    const policyVal = policyValue(spec.value, value);
    if (policyVal === undefined) {
      effect.details.push(`its ${key} ${show(value)} is not a valid value and was ignored`);
      continue;
    }
    const has = own(q.arguments, spec.argument);
    const argVal = q.arguments[spec.argument];
    if (!has) {
      q.arguments[spec.argument] = policyVal;
      continue;
    }
    switch (resolve) {
      case 'argument':
        effect.details.push(`'${q.name}' keeps its own ${spec.argument} ${show(argVal)} (a queue's argument wins over a policy's ${key})`);
        break;
      case 'policy':
        if (argVal !== policyVal) {
          effect.details.push(`on '${q.name}' the policy's ${key} ${show(policyVal)} replaces the queue's ${show(argVal)} (for a ${q.type} queue the policy wins)`);
          q.arguments[spec.argument] = policyVal;
        }
        break;
      case 'min':
      case 'delivery-limit': {
        if (typeof argVal !== 'number') break;
        const pv = policyVal as number;
        // Quorum delivery limits: a negative value means unlimited, and then the larger wins.
        const useMax = resolve === 'delivery-limit' && (pv < 0 || argVal < 0);
        const chosen = useMax ? Math.max(pv, argVal) : Math.min(pv, argVal);
        if (chosen !== argVal) {
          effect.details.push(`on '${q.name}' the policy's ${key} ${pv} replaces the queue's ${argVal} (RabbitMQ uses the lower of the two)`);
          q.arguments[spec.argument] = chosen;
        } else if (pv !== argVal) {
          effect.details.push(`'${q.name}' keeps its own ${spec.argument} ${argVal}, lower than the policy's ${pv} (RabbitMQ uses the lower of the two)`);
        }
        break;
      }
    }
  }
  effect.queues.push(q.name);
}

function applyToExchange(p: Policy, x: PolicyExchange, effect: Effect): void {
  if (!own(p.definition, 'alternate-exchange')) return;
  const value = p.definition['alternate-exchange'];
  if (typeof value !== 'string' || value.length > 255) {
    effect.details.push(`its alternate-exchange ${show(value)} is not an exchange name and was ignored`);
    return;
  }
  if (own(x.arguments, 'alternate-exchange')) {
    effect.details.push(`exchange '${x.name}' keeps its own alternate-exchange ${show(x.arguments['alternate-exchange'])} (an exchange's argument wins over a policy)`);
  } else {
    x.arguments['alternate-exchange'] = value;
  }
  effect.exchanges.push(x.name);
}

/** The one sentence (or skip line) that says what a policy did. */
function describePolicy(p: Policy, effect: Effect, lines: PolicyLines): void {
  const label = `Policy '${p.name}' (pattern '${p.patternText}', apply-to ${p.applyTo}, priority ${p.priority})`;
  const keys = Object.keys(p.definition);
  const modelled = keys.filter((k) => QUEUE_KEYS[k] || k === 'alternate-exchange');
  const other = keys.filter((k) => !modelled.includes(k));
  const otherText = other.length > 0 ? ` It also sets ${other.join(', ')}, which the playground does not model.` : '';
  if (modelled.length === 0) {
    lines.skipped.push(`${label} sets only ${keys.join(', ') || 'nothing'}, which the playground does not model: skipped.`);
    return;
  }
  if (effect.queues.length === 0 && effect.exchanges.length === 0) {
    const why =
      effect.overriddenBy.size > 0
        ? `${nameList([...effect.overriddenBy])} ${effect.overriddenBy.size === 1 ? 'takes' : 'take'} precedence wherever it matches (one policy applies to an entity, the one of highest priority)`
        : effect.matchedAny
          ? 'nothing it matches is changed by it'
          : 'it matches no queue or exchange of this vhost that it can apply to';
    lines.notes.push(`${label} was not applied: ${why}.${otherText}`);
    return;
  }
  const settings = modelled.map((k) => `${QUEUE_KEYS[k]?.argument ?? k} ${show(p.definition[k])}`).join(', ');
  const targets = [
    effect.queues.length > 0 ? `queue${effect.queues.length === 1 ? '' : 's'} ${nameList(effect.queues)}` : '',
    effect.exchanges.length > 0 ? `exchange${effect.exchanges.length === 1 ? '' : 's'} ${nameList(effect.exchanges)}` : '',
  ]
    .filter(Boolean)
    .join(' and ');
  const details = effect.details.length > 0 ? ` ${capitalize(effect.details.slice(0, 8).join('; '))}${effect.details.length > 8 ? `; and ${effect.details.length - 8} more` : ''}.` : '';
  const shadow =
    effect.overriddenBy.size > 0
      ? ` Elsewhere ${nameList([...effect.overriddenBy])} ${effect.overriddenBy.size === 1 ? 'takes' : 'take'} precedence (one policy applies to an entity, the one of highest priority).`
      : '';
  lines.notes.push(`${label} applies to ${targets}: ${settings} written as arguments, since the diagram has no policies.${details}${shadow}${otherText}`);
}

const capitalize = (s: string) => (s === '' ? s : s[0]!.toUpperCase() + s.slice(1));
