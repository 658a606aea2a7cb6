/**
 * RabbitMQ definitions (`definitions.json`, as `rabbitmqctl export_definitions` and the
 * management UI write it) to and from a diagram.
 *
 * - `importDefinitions` reads one vhost's exchanges, queues and bindings into a new diagram,
 *   laid out left to right, with a report a person reads: counts, what was skipped (users,
 *   permissions, parameters, limits, unsupported exchange types...), what was repaired, and
 *   notes (policies folded into queue arguments: see definitions-policies.ts). The input is
 *   untrusted: counts, string sizes and nesting are capped, `__proto__`-like keys are dropped,
 *   and it never throws.
 * - `exportDefinitions` writes a diagram's topology (topologyOf) as definitions RabbitMQ 4.3
 *   imports (`rabbitmqctl import_definitions`, `POST /api/definitions[/<vhost>]`).
 *
 * Argument values: definitions are plain JSON, which RabbitMQ reads as AMQP values by JSON type
 * (rabbit_misc:to_amqp_table: every integer a `long`, other numbers `double`, `null` refused).
 * The document keeps the lossless JSON form (types.ts); top-level integers stay plain (RabbitMQ
 * compares integers of any width as equal there), integers nested in arrays and tables become
 * `{"$long": n}` (there the type counts), and an export says when a value cannot keep its type.
 *
 * Facts checked on a real RabbitMQ 4.3.6 (the oracle of ../shared/oracle/): its export leaves
 * out internal exchanges (but keeps their bindings) and writes no `internal` field; a queue's
 * `type` field and `exclusive` are ignored on import (the type comes from `x-queue-type`, else
 * the vhost's default queue type); exchanges named `amq.*` are skipped; a binding to a missing
 * exchange or queue, a `null` argument or an unknown exchange type fails the whole import.
 *
 * Cost: linear in the file, plus the dagre layout (~0.15 s for 500 nodes and 2000 bindings).
 * Importing this module pulls in dagre (~17 kB gzip): load it lazily from the page.
 */

import dagre from '@dagrejs/dagre';
import { builtInExchange, isBuiltInExchange } from './builtins';
import { utf8Length } from './names';
import { exportTable, HOSTILE_KEYS, inferredLong, quote, show } from './definition-values';
import { applyPolicies, nameList, type PolicyExchange, type PolicyQueue, type QueueType } from './definitions-policies';
import { bindingSpecKey, topologyOf, type BindingSpec } from './topology';
import type { BindingEdge, Diagram, ExchangeNode, ExchangeType, JsonTable, QueueNode } from './types';
import { EXCHANGE_TYPES, X_MATCH_RULES, validateDiagram } from './validate';

/** The caps on an imported file; beyond them it is refused (counts) or the value dropped. */
export const DEFINITIONS_LIMITS = Object.freeze({
  /** Characters of JSON text, when the input is text. */
  textChars: 16_000_000,
  /** Entries in any one list of the file, whatever their vhost. */
  sectionEntries: 100_000,
  /** Exchanges plus queues of the chosen vhost. */
  entities: 500,
  /** Bindings of the chosen vhost. */
  bindings: 2000,
  /** Names, keys and routing keys: an AMQP short string. */
  nameBytes: 255,
  /** A string value inside arguments. */
  stringBytes: 4096,
  /** Nesting of arrays and tables inside arguments. */
  argumentDepth: 8,
  /** Entries of one array or table inside arguments. */
  tableEntries: 256,
  /** One entity's arguments, as JSON text. */
  tableChars: 16_384,
  /** Sentences per list of the report. */
  reportLines: 60,
});

/** The RabbitMQ version an export claims by default: the one the playground follows. */
export const DEFAULT_RABBIT_VERSION = '4.3.6';

// -------------------------------------------------------------------------- types ---

export interface ImportReport {
  /** The vhost whose definitions were imported. */
  vhost: string;
  /** What the new diagram holds (built-in exchanges that bindings use included). */
  counts: { exchanges: number; queues: number; bindings: number };
  /** What the file had that is not in the diagram, and why. */
  skipped: string[];
  /** Values that were invalid and were repaired or dropped. */
  fixed: string[];
  /** Everything else worth knowing (policies applied, built-ins added, other vhosts). */
  notes: string[];
}

export type ImportResult = { ok: true; diagram: Diagram; report: ImportReport } | { ok: false; message: string; vhosts?: string[] };

export interface ImportOptions {
  /** The vhost to import, when the file has several. */
  vhost?: string;
}

export interface DefinitionExchange {
  name: string;
  vhost: string;
  type: string;
  durable: boolean;
  auto_delete: boolean;
  internal: boolean;
  arguments: Record<string, unknown>;
}

export interface DefinitionQueue {
  name: string;
  vhost: string;
  /** Informational, as RabbitMQ 4.x writes it; its import goes by `x-queue-type`. */
  type: QueueType;
  durable: boolean;
  auto_delete: boolean;
  arguments: Record<string, unknown>;
}

export interface DefinitionBinding {
  source: string;
  vhost: string;
  destination: string;
  destination_type: 'queue' | 'exchange';
  routing_key: string;
  arguments: Record<string, unknown>;
}

/** A definitions document in the shape `rabbitmqctl export_definitions` writes. */
export interface Definitions {
  rabbit_version: string;
  rabbitmq_version: string;
  users: never[];
  vhosts: { name: string }[];
  permissions: never[];
  topic_permissions: never[];
  parameters: never[];
  global_parameters: never[];
  policies: never[];
  queues: DefinitionQueue[];
  exchanges: DefinitionExchange[];
  bindings: DefinitionBinding[];
}

export interface ExportOptions {
  /** The vhost written on every entity; '/' when not given. */
  vhost?: string;
  /** `rabbit_version` of the file; DEFAULT_RABBIT_VERSION when not given. */
  rabbitVersion?: string;
}

export interface ExportResult {
  definitions: Definitions;
  /** What the export left out or could not write exactly, in sentences. */
  notes: string[];
}

/** The report's three lists while they are being written. */
interface Lines {
  skipped: string[];
  fixed: string[];
  notes: string[];
}

// ------------------------------------------------------------------ small helpers ---

const own = (o: object, key: string) => Object.prototype.hasOwnProperty.call(o, key);
const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const byText = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;
const capitalize = (s: string) => (s === '' ? s : `${s[0]!.toUpperCase()}${s.slice(1)}`);
const exchangeWho = (name: string) => (name === '' ? 'the default exchange' : `exchange ${quote(name)}`);

/** A name RabbitMQ can hold (a string of at most 255 UTF-8 bytes), else null. */
function nameOf(v: unknown): string | null {
  return typeof v === 'string' && utf8Length(v) <= DEFINITIONS_LIMITS.nameBytes ? v : null;
}


// ------------------------------------------------------------- values: import side ---

type Converted = { ok: true; value: unknown } | { ok: false; reason: string };

/**
 * A definitions value (plain JSON, as RabbitMQ reads it) in the document's JSON form: integers
 * nested in arrays or tables as `{"$long": n}`, a table whose only key starts with `$` wrapped
 * in `{"$table": ...}` so it is not read as a typed value.
 */
function fromDefinitionValue(v: unknown, depth: number): Converted {
  if (depth > DEFINITIONS_LIMITS.argumentDepth) return { ok: false, reason: `it is nested more than ${DEFINITIONS_LIMITS.argumentDepth} levels deep` };
  switch (typeof v) {
    case 'string':
      return utf8Length(v) <= DEFINITIONS_LIMITS.stringBytes ? { ok: true, value: v } : { ok: false, reason: `it holds a string longer than ${DEFINITIONS_LIMITS.stringBytes} bytes` };
    case 'boolean':
      return { ok: true, value: v };
    case 'number':
      if (!Number.isFinite(v)) return { ok: false, reason: 'it holds a number JSON cannot write' };
      if (!Number.isInteger(v)) return { ok: true, value: v };
      if (!Number.isSafeInteger(v)) return { ok: false, reason: `it holds the integer ${v}, too large to read exactly` };
      return { ok: true, value: depth > 0 && !inferredLong(v) ? { $long: v } : v };
    case 'object': {
      if (v === null) return { ok: false, reason: 'it holds a null, which RabbitMQ refuses (null_not_allowed)' };
      if (Array.isArray(v)) {
        if (v.length > DEFINITIONS_LIMITS.tableEntries) return { ok: false, reason: `it holds an array of more than ${DEFINITIONS_LIMITS.tableEntries} values` };
        const out: unknown[] = [];
        for (const item of v) {
          const c = fromDefinitionValue(item, depth + 1);
          if (!c.ok) return c;
          out.push(c.value);
        }
        return { ok: true, value: out };
      }
      const keys = Object.keys(v);
      if (keys.length > DEFINITIONS_LIMITS.tableEntries) return { ok: false, reason: `it holds a table of more than ${DEFINITIONS_LIMITS.tableEntries} keys` };
      const out: Record<string, unknown> = {};
      for (const key of keys) {
        if (HOSTILE_KEYS.has(key)) return { ok: false, reason: `it holds a key named ${key}` };
        if (utf8Length(key) > DEFINITIONS_LIMITS.nameBytes) return { ok: false, reason: `it holds a key longer than ${DEFINITIONS_LIMITS.nameBytes} bytes` };
        const c = fromDefinitionValue((v as Record<string, unknown>)[key], depth + 1);
        if (!c.ok) return c;
        out[key] = c.value;
      }
      return { ok: true, value: keys.length === 1 && keys[0]!.startsWith('$') ? { $table: out } : out };
    }
    default:
      return { ok: false, reason: 'it holds a value JSON cannot write' };
  }
}

/** An `arguments` table of the file in the document's form; bad entries are dropped with a line. */
function importTable(raw: unknown, who: string, lines: Lines): JsonTable {
  const out: JsonTable = {};
  // RabbitMQ takes a missing table, or an empty list, as no arguments.
  if (raw === undefined || (Array.isArray(raw) && raw.length === 0)) return out;
  if (!isObject(raw)) {
    lines.fixed.push(`The arguments of ${who} are not a table: ignored.`);
    return out;
  }
  let size = 2;
  for (const key of Object.keys(raw)) {
    if (HOSTILE_KEYS.has(key)) {
      lines.fixed.push(`Dropped the argument named ${key} of ${who}: such keys are never read.`);
      continue;
    }
    if (utf8Length(key) > DEFINITIONS_LIMITS.nameBytes) {
      lines.fixed.push(`Dropped an argument of ${who} whose name is longer than ${DEFINITIONS_LIMITS.nameBytes} bytes.`);
      continue;
    }
    const c = fromDefinitionValue(raw[key], 0);
    if (!c.ok) {
      lines.fixed.push(`Dropped the argument ${quote(key)} of ${who}: ${c.reason}.`);
      continue;
    }
    size += JSON.stringify(key).length + JSON.stringify(c.value).length + 2;
    if (size > DEFINITIONS_LIMITS.tableChars) {
      lines.fixed.push(`Dropped the argument ${quote(key)} of ${who} and the ones after it: the arguments exceed ${DEFINITIONS_LIMITS.tableChars} characters.`);
      break;
    }
    out[key] = c.value;
  }
  return out;
}

// --------------------------------------------------------- queue arguments (4.3.6) ---

/**
 * The arguments each queue type takes (rabbit_*_queue:capabilities/0 queue_arguments). The
 * broker's own list (src/broker/queue-args.ts) is the rule; the document may not import the
 * core, so this copy is checked against it by tests/document/definitions.test.ts. The
 * deprecated x-queue-master-locator is left out: RabbitMQ 4.x refuses it on every type. A known
 * argument on the wrong type makes RabbitMQ refuse the declaration; unknown ones (`x-foo`) are
 * kept and ignored.
 */
export const QUEUE_ARGUMENTS: Record<QueueType, readonly string[]> = {
  classic: [
    'x-expires',
    'x-message-ttl',
    'x-dead-letter-exchange',
    'x-dead-letter-routing-key',
    'x-max-length',
    'x-max-length-bytes',
    'x-max-priority',
    'x-overflow',
    'x-queue-mode',
    'x-queue-version',
    'x-single-active-consumer',
    'x-queue-type',
    'x-queue-leader-locator',
  ],
  quorum: [
    'x-dead-letter-exchange',
    'x-dead-letter-routing-key',
    'x-dead-letter-strategy',
    'x-expires',
    'x-max-length',
    'x-max-length-bytes',
    'x-overflow',
    'x-single-active-consumer',
    'x-queue-type',
    'x-quorum-initial-group-size',
    'x-delivery-limit',
    'x-message-ttl',
    'x-queue-leader-locator',
    'x-quorum-target-group-size',
  ],
  stream: [
    'x-max-length-bytes',
    'x-queue-type',
    'x-max-age',
    'x-stream-max-segment-size-bytes',
    'x-stream-filter-size-bytes',
    'x-initial-cluster-size',
    'x-queue-leader-locator',
  ],
};
const KNOWN_QUEUE_ARGUMENTS = new Set([...Object.values(QUEUE_ARGUMENTS).flat(), 'x-queue-master-locator']);

type ValueRule =
  | { kind: 'integer'; min: number; max?: number }
  | { kind: 'one-of'; values: readonly string[] }
  | { kind: 'boolean' }
  | { kind: 'string'; pattern?: RegExp };

/** RabbitMQ's checks on argument values (rabbit_amqqueue:declare_args/0 and the types'). */
const VALUE_RULES: Record<string, ValueRule> = {
  'x-expires': { kind: 'integer', min: 1 },
  'x-message-ttl': { kind: 'integer', min: 0 },
  'x-max-length': { kind: 'integer', min: 0 },
  'x-max-length-bytes': { kind: 'integer', min: 0 },
  'x-max-priority': { kind: 'integer', min: 0, max: 255 },
  'x-queue-version': { kind: 'integer', min: 1, max: 2 },
  'x-delivery-limit': { kind: 'integer', min: -Infinity },
  'x-quorum-initial-group-size': { kind: 'integer', min: 0 },
  'x-initial-cluster-size': { kind: 'integer', min: 0 },
  'x-stream-max-segment-size-bytes': { kind: 'integer', min: 0 },
  'x-stream-filter-size-bytes': { kind: 'integer', min: 0 },
  'x-overflow': { kind: 'one-of', values: ['drop-head', 'reject-publish', 'reject-publish-dlx'] },
  'x-dead-letter-strategy': { kind: 'one-of', values: ['at-most-once', 'at-least-once'] },
  'x-queue-leader-locator': { kind: 'one-of', values: ['client-local', 'balanced'] },
  'x-single-active-consumer': { kind: 'boolean' },
  'x-dead-letter-exchange': { kind: 'string' },
  'x-dead-letter-routing-key': { kind: 'string' },
  'x-max-age': { kind: 'string', pattern: /^\d+[YMDhms]$/ },
};

/** A value repaired to fit its rule (a number written as text, "true"), the value itself, or undefined. */
function fitRule(rule: ValueRule, v: unknown): unknown {
  switch (rule.kind) {
    case 'integer': {
      const n = typeof v === 'string' && /^-?\d{1,15}$/.test(v) ? Number(v) : v;
      if (typeof n !== 'number' || !Number.isSafeInteger(n) || n < rule.min || (rule.max !== undefined && n > rule.max)) return undefined;
      return n;
    }
    case 'one-of':
      return typeof v === 'string' && rule.values.includes(v) ? v : undefined;
    case 'boolean':
      return typeof v === 'boolean' ? v : v === 'true' ? true : v === 'false' ? false : undefined;
    case 'string':
      return typeof v === 'string' && utf8Length(v) <= DEFINITIONS_LIMITS.nameBytes && (!rule.pattern || rule.pattern.test(v)) ? v : undefined;
  }
}

/**
 * Makes a queue's arguments ones RabbitMQ 4.3 accepts for its type, dropping or repairing
 * what it would refuse, and returns the type; or a reason to skip the queue.
 */
function repairQueueArguments(args: JsonTable, who: string, defaultType: QueueType, lines: Lines): { type: QueueType } | { skip: string } {
  let type: QueueType = defaultType;
  if (own(args, 'x-queue-type')) {
    const t = args['x-queue-type'];
    if (t !== 'classic' && t !== 'quorum' && t !== 'stream') return { skip: `its x-queue-type ${show(t)} is not a queue type RabbitMQ 4.3 has` };
    type = t;
  } else if (defaultType !== 'classic') {
    args['x-queue-type'] = defaultType;
    lines.notes.push(`${capitalize(who)} has no x-queue-type, so it gets the vhost's default queue type, ${defaultType}, as RabbitMQ would.`);
  }
  for (const key of Object.keys(args)) {
    if (!KNOWN_QUEUE_ARGUMENTS.has(key)) continue;
    if (!QUEUE_ARGUMENTS[type].includes(key)) {
      const why = key === 'x-queue-master-locator' ? 'a deprecated argument RabbitMQ 4.x refuses' : `an argument a ${type} queue does not take (RabbitMQ would refuse the queue)`;
      lines.fixed.push(`Dropped ${key} ${show(args[key])} from ${who}: ${why}.`);
      delete args[key];
      continue;
    }
    const rule = VALUE_RULES[key];
    if (!rule) continue;
    const fitted = fitRule(rule, args[key]);
    if (fitted === undefined) {
      lines.fixed.push(`Dropped ${key} ${show(args[key])} from ${who}: RabbitMQ refuses that value.`);
      delete args[key];
    } else if (fitted !== args[key]) {
      lines.fixed.push(`Read ${key} ${show(args[key])} of ${who} as ${show(fitted)}.`);
      args[key] = fitted;
    }
  }
  if (own(args, 'x-dead-letter-routing-key') && !own(args, 'x-dead-letter-exchange')) {
    lines.fixed.push(`Dropped x-dead-letter-routing-key from ${who}: it has no x-dead-letter-exchange, and RabbitMQ refuses a routing key without one.`);
    delete args['x-dead-letter-routing-key'];
  }
  return { type };
}

// ------------------------------------------------------------------ reading a file ---

/** The file as an object, or why it is not one. */
function parseInput(json: unknown): Record<string, unknown> | string {
  let value = json;
  if (typeof json === 'string') {
    if (json.length > DEFINITIONS_LIMITS.textChars) return `This file is too large to import (more than ${DEFINITIONS_LIMITS.textChars / 1_000_000} million characters).`;
    try {
      value = JSON.parse(json);
    } catch (e) {
      return `This is not JSON: ${e instanceof Error ? e.message : String(e)}.`;
    }
  }
  if (!isObject(value)) {
    const what = value === null ? 'null' : Array.isArray(value) ? 'a list' : `a ${typeof value}`;
    return `A definitions file is a JSON object with exchanges, queues and bindings; this is ${what}.`;
  }
  return value;
}

const SECTIONS = ['exchanges', 'queues', 'bindings', 'policies', 'vhosts', 'users', 'permissions', 'topic_permissions', 'parameters', 'global_parameters', 'operator_policies'] as const;
type Section = (typeof SECTIONS)[number];
type Sections = Record<Section, unknown[]>;

/** The file's lists (missing ones empty), or why the file is refused. */
function readSections(root: Record<string, unknown>, lines: Lines): Sections | string {
  const sections = {} as Sections;
  let any = false;
  for (const name of SECTIONS) {
    const v = own(root, name) ? root[name] : undefined;
    if (v === undefined) {
      sections[name] = [];
      continue;
    }
    any = true;
    if (!Array.isArray(v)) {
      lines.fixed.push(`'${name}' is not a list: ignored.`);
      sections[name] = [];
      continue;
    }
    if (v.length > DEFINITIONS_LIMITS.sectionEntries) return `This file lists ${v.length} ${name}; the playground reads at most ${DEFINITIONS_LIMITS.sectionEntries} entries per list.`;
    sections[name] = v;
  }
  if (!any) return 'This JSON object has no exchanges, queues, bindings or vhosts: it does not look like RabbitMQ definitions.';
  return sections;
}

/** The vhost an entry names: a string, undefined (single-vhost files), or null (unusable). */
function entryVhost(entry: unknown): string | undefined | null {
  if (!isObject(entry) || !own(entry, 'vhost')) return undefined;
  return typeof entry.vhost === 'string' ? entry.vhost : null;
}

/** Which vhost to import, the others the file has, or a refusal. */
function chooseVhost(
  root: Record<string, unknown>,
  sections: Sections,
  options: ImportOptions,
): { vhost: string; others: string[] } | { ok: false; message: string; vhosts?: string[] } {
  const listed = new Set<string>();
  for (const v of sections.vhosts) {
    const name = isObject(v) ? nameOf(v.name) : null;
    if (name !== null) listed.add(name);
  }
  const withTopology = new Set<string>();
  for (const section of ['exchanges', 'queues', 'bindings'] as const) {
    for (const entry of sections[section]) {
      const vh = entryVhost(entry);
      // A full export lists amq.rabbitmq.log under '/': built-ins are not anybody's topology.
      if (section === 'exchanges' && isObject(entry) && typeof entry.name === 'string' && (entry.name === '' || entry.name.startsWith('amq.'))) continue;
      if (typeof vh === 'string' && utf8Length(vh) <= DEFINITIONS_LIMITS.nameBytes) withTopology.add(vh);
    }
  }
  const known = new Set([...listed, ...withTopology]);
  const all = [...known].sort(byText);
  if (options.vhost !== undefined) {
    if (typeof options.vhost !== 'string') return { ok: false, message: 'The vhost to import must be a name.' };
    if (known.size > 0 && !known.has(options.vhost)) {
      return { ok: false, message: `This file has no vhost ${quote(options.vhost)}; it has ${nameList(all)}.`, vhosts: all };
    }
    return { vhost: options.vhost, others: all.filter((v) => v !== options.vhost) };
  }
  if (known.size === 0) {
    // A single-vhost export (management UI, GET /api/definitions/<vhost>) names no vhost on its entries.
    const original = nameOf(root.original_vhost_name);
    return { vhost: original ?? '/', others: [] };
  }
  const candidates = [...(withTopology.size > 0 ? withTopology : known)].sort(byText);
  if (candidates.length === 1) return { vhost: candidates[0]!, others: all.filter((v) => v !== candidates[0]) };
  if (candidates.includes('/')) return { vhost: '/', others: all.filter((v) => v !== '/') };
  return { ok: false, message: `This file holds several vhosts (${nameList(candidates)}): choose the one to import.`, vhosts: all };
}

/** The default queue type the file gives the vhost (4.x `metadata.default_queue_type`), else classic. */
function defaultQueueType(root: Record<string, unknown>, sections: Sections, vhost: string): QueueType {
  const pick = (o: unknown): unknown => (isObject(o) ? (isObject(o.metadata) ? o.metadata.default_queue_type : undefined) ?? o.default_queue_type : undefined);
  let t = pick(root);
  for (const v of sections.vhosts) if (isObject(v) && v.name === vhost) t = pick(v) ?? t;
  return t === 'quorum' || t === 'stream' ? t : 'classic';
}

/** The sentence that lists what a routing diagram has no place for. */
function skippedNonTopology(root: Record<string, unknown>, sections: Sections, vhost: string, lines: Lines): void {
  const parts: string[] = [];
  const count = (section: Section, one: string, many?: string) => {
    if (sections[section].length > 0) parts.push(plural(sections[section].length, one, many));
  };
  count('users', 'user');
  count('permissions', 'permission');
  count('topic_permissions', 'topic permission');
  count('parameters', 'parameter');
  count('global_parameters', 'global parameter');
  count('operator_policies', 'operator policy', 'operator policies');
  const limited = sections.vhosts.filter((v) => isObject(v) && isObject(v.limits) && Object.keys(v.limits).length > 0).length;
  if (limited > 0) parts.push(`the limits of ${plural(limited, 'vhost')}`);
  else if (isObject(root.limits) && Object.keys(root.limits).length > 0) parts.push(`the limits of vhost ${quote(vhost)}`);
  if (parts.length > 0) {
    const list = parts.length === 1 ? parts[0]! : `${parts.slice(0, -1).join(', ')} and ${parts[parts.length - 1]}`;
    lines.skipped.push(`${list[0]!.toUpperCase()}${list.slice(1)}: not part of a routing diagram, so not imported.`);
  }
}

// ------------------------------------------------------------- entities of a vhost ---

interface ExchangeDraft {
  name: string;
  type: ExchangeType;
  durable: boolean;
  autoDelete: boolean;
  internal: boolean;
  arguments: JsonTable;
}

interface QueueDraft {
  name: string;
  type: QueueType;
  durable: boolean;
  autoDelete: boolean;
  arguments: JsonTable;
}

/** A flag of an entry: its boolean, the default when missing, or the default with a line when not a boolean. */
function flag(entry: Record<string, unknown>, key: string, fallback: boolean, who: string, lines: Lines): boolean {
  if (!own(entry, key)) return fallback;
  const v = entry[key];
  if (typeof v === 'boolean') return v;
  if (v === 'true' || v === 'false') {
    lines.fixed.push(`Read ${key} ${show(v)} of ${who} as ${v}.`);
    return v === 'true';
  }
  lines.fixed.push(`${capitalize(who)} has ${key} ${show(v)}, not true or false: taken as ${fallback}.`);
  return fallback;
}

/** Counts of entries skipped for the same reason, turned into one sentence each at the end. */
class Tally {
  readonly counts = new Map<string, number>();
  add(sentence: string): void {
    this.counts.set(sentence, (this.counts.get(sentence) ?? 0) + 1);
  }
  flush(into: string[], phrase: (sentence: string, n: number) => string): void {
    for (const [sentence, n] of this.counts) into.push(phrase(sentence, n));
  }
}

function readExchanges(entries: readonly unknown[], lines: Lines, unsupported: Map<string, string>, builtInsDeclared: Set<string>, malformed: Tally): Map<string, ExchangeDraft> {
  const out = new Map<string, ExchangeDraft>();
  for (const entry of entries) {
    const name = isObject(entry) ? nameOf(entry.name) : null;
    if (!isObject(entry) || name === null) {
      malformed.add('exchange');
      continue;
    }
    const who = exchangeWho(name);
    if (name === '' || isBuiltInExchange(name)) {
      builtInsDeclared.add(name);
      continue;
    }
    if (name.startsWith('amq.')) {
      lines.skipped.push(`Exchange ${quote(name)}: RabbitMQ skips exchanges whose names begin with 'amq.' when it imports definitions.`);
      continue;
    }
    if (out.has(name) || unsupported.has(name)) {
      lines.skipped.push(`${capitalize(who)} is listed twice; the second entry was skipped.`);
      continue;
    }
    const type = entry.type;
    if (typeof type !== 'string' || !EXCHANGE_TYPES.includes(type as ExchangeType)) {
      unsupported.set(name, typeof type === 'string' ? type.slice(0, 60) : show(type));
      continue;
    }
    const args = importTable(entry.arguments, who, lines);
    if (own(args, 'alternate-exchange') && typeof args['alternate-exchange'] !== 'string') {
      lines.fixed.push(`Dropped alternate-exchange ${show(args['alternate-exchange'])} from ${who}: it is not an exchange name.`);
      delete args['alternate-exchange'];
    }
    out.set(name, {
      name,
      type: type as ExchangeType,
      durable: flag(entry, 'durable', true, who, lines),
      autoDelete: flag(entry, 'auto_delete', false, who, lines),
      internal: flag(entry, 'internal', false, who, lines),
      arguments: args,
    });
  }
  return out;
}

function readQueues(entries: readonly unknown[], defaultType: QueueType, lines: Lines, malformed: Tally): Map<string, QueueDraft> {
  const out = new Map<string, QueueDraft>();
  const exclusive: string[] = [];
  for (const entry of entries) {
    const name = isObject(entry) ? nameOf(entry.name) : null;
    if (!isObject(entry) || name === null || name === '') {
      malformed.add('queue');
      continue;
    }
    const who = `queue ${quote(name)}`;
    if (name.startsWith('amq.')) {
      lines.skipped.push(`Queue ${quote(name)}: queue names beginning with 'amq.' are reserved, and RabbitMQ refuses them.`);
      continue;
    }
    if (out.has(name)) {
      lines.skipped.push(`Queue ${quote(name)} is listed twice; the second entry was skipped.`);
      continue;
    }
    const args = importTable(entry.arguments, who, lines);
    const repaired = repairQueueArguments(args, who, defaultType, lines);
    if ('skip' in repaired) {
      lines.skipped.push(`Queue ${quote(name)}: ${repaired.skip}; skipped with its bindings.`);
      continue;
    }
    const t = repaired.type;
    if (!own(args, 'x-queue-type') && (entry.type === 'quorum' || entry.type === 'stream')) {
      lines.notes.push(`${capitalize(who)} says type ${entry.type} but has no x-queue-type argument; RabbitMQ 4.3's import goes by the argument, so it is a ${t} queue here.`);
    }
    if (entry.exclusive === true) exclusive.push(name);
    let durable = flag(entry, 'durable', true, who, lines);
    let autoDelete = flag(entry, 'auto_delete', false, who, lines);
    if (t !== 'classic' && (!durable || autoDelete)) {
      lines.fixed.push(`Made ${who} durable and not auto-delete: a ${t} queue cannot be otherwise (RabbitMQ would refuse it).`);
      durable = true;
      autoDelete = false;
    }
    out.set(name, { name, type: t, durable, autoDelete, arguments: args });
  }
  if (exclusive.length > 0) {
    const one = exclusive.length === 1;
    lines.fixed.push(`${one ? 'Queue' : 'Queues'} ${nameList(exclusive)} ${one ? 'is' : 'are'} marked exclusive; RabbitMQ's import ignores that flag, so ${one ? 'it is a plain queue' : 'they are plain queues'} here.`);
  }
  return out;
}

/** What a binding entry is, or why it is not imported. */
function readBinding(
  entry: unknown,
  exchanges: ReadonlyMap<string, ExchangeDraft>,
  queues: ReadonlyMap<string, QueueDraft>,
  unsupported: ReadonlyMap<string, string>,
  lines: Lines,
  tally: Tally,
  unsupportedBindings: Map<string, number>,
): BindingSpec | null {
  if (!isObject(entry)) {
    tally.add('an entry that is not an object');
    return null;
  }
  const source = nameOf(entry.source);
  const destination = nameOf(entry.destination);
  const kind = entry.destination_type;
  if (source === null || destination === null || (kind !== 'queue' && kind !== 'exchange')) {
    tally.add('no usable source, destination and destination_type');
    return null;
  }
  const routingKey = own(entry, 'routing_key') ? entry.routing_key : '';
  if (typeof routingKey !== 'string' || utf8Length(routingKey) > DEFINITIONS_LIMITS.nameBytes) {
    tally.add(`a routing key that is not a string of at most ${DEFINITIONS_LIMITS.nameBytes} bytes`);
    return null;
  }
  if (source === '') {
    tally.add('the default exchange as source (it takes no bindings: it routes by queue name already)');
    return null;
  }
  if (kind === 'exchange' && destination === '') {
    tally.add('the default exchange as destination (nothing can be bound to it)');
    return null;
  }
  for (const end of [source, kind === 'exchange' ? destination : null]) {
    if (end !== null && unsupported.has(end)) {
      unsupportedBindings.set(end, (unsupportedBindings.get(end) ?? 0) + 1);
      return null;
    }
  }
  const known = (name: string) => exchanges.has(name) || isBuiltInExchange(name);
  if (!known(source)) {
    tally.add(`a source exchange that is not in the file (RabbitMQ's own export leaves internal exchanges out)`);
    return null;
  }
  if (kind === 'exchange' ? !known(destination) : !queues.has(destination)) {
    tally.add(kind === 'exchange' ? `a destination exchange that is not in the file (RabbitMQ's own export leaves internal exchanges out)` : 'a destination queue that is not in the file (or was skipped)');
    return null;
  }
  const who = `the binding from ${exchangeWho(source)} to ${kind} ${quote(destination)}`;
  const args = importTable(entry.arguments, who, lines);
  const sourceType = exchanges.get(source)?.type ?? builtInExchange(source)?.type;
  if (sourceType === 'headers' && own(args, 'x-match') && !(X_MATCH_RULES as readonly unknown[]).includes(args['x-match'])) {
    lines.skipped.push(`${capitalize(who)}: x-match ${show(args['x-match'])} is not one of ${X_MATCH_RULES.join(', ')}, and RabbitMQ refuses such a binding.`);
    return null;
  }
  return { source, destinationKind: kind, destination, routingKey, arguments: args };
}

// ------------------------------------------------------------------------- layout ---

export const IMPORT_NODE_SIZE = Object.freeze({ width: 220, height: 120 });
const COLUMN_GAP = 110;
const ROW_GAP = 30;

/**
 * Columns of an imported diagram: exchanges that nothing routes to in column 0, each other
 * exchange one after the longest chain of exchange-to-exchange bindings that reaches it (loops
 * broken where a depth-first walk closes them), and every queue in the last column.
 */
export function importColumns(diagram: Diagram): Map<string, number> {
  const exchanges = diagram.nodes.filter((n) => n.kind === 'exchange').map((n) => n.id);
  const isExchange = new Set(exchanges);
  const next = new Map<string, string[]>(exchanges.map((id) => [id, []]));
  const incoming = new Map<string, number>(exchanges.map((id) => [id, 0]));
  for (const b of diagram.bindings) {
    if (b.destination.kind !== 'exchange' || !isExchange.has(b.source) || !isExchange.has(b.destination.id) || b.source === b.destination.id) continue;
    next.get(b.source)!.push(b.destination.id);
    incoming.set(b.destination.id, incoming.get(b.destination.id)! + 1);
  }
  // Depth-first from the sources (then from what is left, in loops): reverse postorder is a
  // topological order of the graph without the edges that close a loop.
  const order: string[] = [];
  const state = new Map<string, 'open' | 'done'>();
  const visit = (root: string) => {
    const stack: Array<[string, number]> = [[root, 0]];
    state.set(root, 'open');
    while (stack.length > 0) {
      const top = stack[stack.length - 1]!;
      const [id, k] = top;
      const outs = next.get(id)!;
      if (k < outs.length) {
        top[1]++;
        const to = outs[k]!;
        if (!state.has(to)) {
          state.set(to, 'open');
          stack.push([to, 0]);
        }
      } else {
        state.set(id, 'done');
        order.push(id);
        stack.pop();
      }
    }
  };
  for (const id of exchanges) if (incoming.get(id) === 0 && !state.has(id)) visit(id);
  for (const id of exchanges) if (!state.has(id)) visit(id);
  order.reverse();
  const position = new Map(order.map((id, i) => [id, i]));
  const column = new Map<string, number>(exchanges.map((id) => [id, 0]));
  for (const id of order) {
    for (const to of next.get(id)!) {
      if (position.get(to)! > position.get(id)!) column.set(to, Math.max(column.get(to)!, column.get(id)! + 1));
    }
  }
  const last = exchanges.length === 0 ? 0 : Math.max(...column.values()) + 1;
  for (const n of diagram.nodes) if (n.kind !== 'exchange') column.set(n.id, last);
  return column;
}

/**
 * Positions for an imported diagram, left to right by `importColumns`. Dagre orders the nodes
 * (fewer crossings, neighbours side by side); each column then keeps dagre's vertical order and
 * is packed so nothing overlaps (so dagre's own columns do not matter). Deterministic: the same diagram gets the same positions.
 */
export function layoutImported(diagram: Diagram): Diagram {
  if (diagram.nodes.length === 0) return diagram;
  const columns = importColumns(diagram);
  const { width, height } = IMPORT_NODE_SIZE;
  // One edge per linked pair (parallel bindings add weight) and the longest-path ranker: dagre
  // only orders the nodes here, and this keeps 500 nodes with 2000 bindings near 0.15 s.
  const graph = new dagre.graphlib.Graph();
  graph.setGraph({ rankdir: 'LR', nodesep: ROW_GAP, ranksep: COLUMN_GAP, marginx: 0, marginy: 0, ranker: 'longest-path' });
  for (const n of diagram.nodes) graph.setNode(n.id, { width, height });
  for (const b of diagram.bindings) {
    if (b.source === b.destination.id) continue;
    const edge = graph.edge(b.source, b.destination.id) as { weight: number } | undefined;
    if (edge) edge.weight++;
    else graph.setEdge(b.source, b.destination.id, { weight: 1, minlen: 1 });
  }
  dagre.layout(graph);

  const byColumn = new Map<number, Array<{ id: string; name: string; y: number }>>();
  for (const n of diagram.nodes) {
    const c = columns.get(n.id)!;
    const list = byColumn.get(c) ?? [];
    list.push({ id: n.id, name: n.name, y: graph.node(n.id).y - height / 2 });
    byColumn.set(c, list);
  }
  const placed = new Map<string, { x: number; y: number }>();
  for (const [c, list] of byColumn) {
    list.sort((a, b) => a.y - b.y || byText(a.name, b.name));
    let bottom = -Infinity;
    for (const item of list) {
      const y = Math.max(item.y, bottom + ROW_GAP);
      placed.set(item.id, { x: c * (width + COLUMN_GAP), y });
      bottom = y + height;
    }
  }
  const top = Math.min(...[...placed.values()].map((p) => p.y));
  return {
    ...diagram,
    nodes: diagram.nodes.map((n) => {
      const p = placed.get(n.id)!;
      return { ...n, position: { x: Math.round(p.x), y: Math.round(p.y - top) } };
    }),
  };
}

// ------------------------------------------------------------------------- import ---

/**
 * Reads RabbitMQ definitions (an object, or its JSON text) into a new diagram of one vhost.
 * With several vhosts and no `options.vhost`: '/' if it holds topology, else the only one that
 * does, else a refusal listing `vhosts` so the caller can ask. Entries that name no vhost (a
 * single-vhost export) belong to the vhost imported. Never throws.
 */
export function importDefinitions(json: unknown, options: ImportOptions = {}): ImportResult {
  try {
    return importOrRefuse(json, options);
  } catch (e) {
    return { ok: false, message: `The definitions could not be read: ${e instanceof Error ? e.message : String(e)}.` };
  }
}

function importOrRefuse(json: unknown, options: ImportOptions): ImportResult {
  const root = parseInput(json);
  if (typeof root === 'string') return { ok: false, message: root };
  const lines: Lines = { skipped: [], fixed: [], notes: [] };
  const sections = readSections(root, lines);
  if (typeof sections === 'string') return { ok: false, message: sections };
  const chosen = chooseVhost(root, sections, options);
  if ('ok' in chosen) return chosen;
  const { vhost, others } = chosen;

  const ofVhost = (section: Section) => sections[section].filter((entry) => {
    const vh = entryVhost(entry);
    return vh === undefined || vh === vhost;
  });
  const exchangeEntries = ofVhost('exchanges');
  const queueEntries = ofVhost('queues');
  const bindingEntries = ofVhost('bindings');
  if (exchangeEntries.length + queueEntries.length > DEFINITIONS_LIMITS.entities) {
    return { ok: false, message: `Vhost ${quote(vhost)} has ${exchangeEntries.length} exchanges and ${queueEntries.length} queues; the playground imports at most ${DEFINITIONS_LIMITS.entities} in all.` };
  }
  if (bindingEntries.length > DEFINITIONS_LIMITS.bindings) {
    return { ok: false, message: `Vhost ${quote(vhost)} has ${bindingEntries.length} bindings; the playground imports at most ${DEFINITIONS_LIMITS.bindings}.` };
  }
  const unusable = ['exchanges', 'queues', 'bindings', 'policies'].reduce((n, s) => n + sections[s as Section].filter((e) => entryVhost(e) === null).length, 0);
  if (unusable > 0) lines.skipped.push(`${plural(unusable, 'entry', 'entries')} whose vhost is not a name ${unusable === 1 ? 'was' : 'were'} skipped.`);

  skippedNonTopology(root, sections, vhost, lines);
  const malformed = new Tally();
  const unsupported = new Map<string, string>();
  const builtInsDeclared = new Set<string>();
  const exchanges = readExchanges(exchangeEntries, lines, unsupported, builtInsDeclared, malformed);
  const queues = readQueues(queueEntries, defaultQueueType(root, sections, vhost), lines, malformed);
  malformed.flush(lines.skipped, (what, n) => `${plural(n, `${what} entry`, `${what} entries`)} without a usable name ${n === 1 ? 'was' : 'were'} skipped.`);

  applyPolicies(ofVhost('policies'), [...queues.values()] satisfies PolicyQueue[], [...exchanges.values()] satisfies PolicyExchange[], lines);
  // A policy may have added a routing key to a queue with a dead-letter exchange, or the reverse: check again.
  for (const q of queues.values()) repairQueueArguments(q.arguments, `queue ${quote(q.name)}`, q.type, lines);

  const bindings = new Map<string, BindingSpec>();
  const tally = new Tally();
  const unsupportedBindings = new Map<string, number>();
  let duplicates = 0;
  for (const entry of bindingEntries) {
    const spec = readBinding(entry, exchanges, queues, unsupported, lines, tally, unsupportedBindings);
    if (!spec) continue;
    const key = bindingSpecKey(spec);
    if (bindings.has(key)) duplicates++;
    else bindings.set(key, spec);
  }
  for (const [name, type] of unsupported) {
    const n = unsupportedBindings.get(name) ?? 0;
    lines.skipped.push(`Exchange ${quote(name)} is of type ${type}, which the playground does not simulate: skipped${n > 0 ? `, with its ${plural(n, 'binding')}` : ''}.`);
  }
  tally.flush(lines.skipped, (why, n) => `${plural(n, 'binding')} with ${why} ${n === 1 ? 'was' : 'were'} skipped.`);
  if (duplicates > 0) lines.fixed.push(`${plural(duplicates, 'binding')} repeated an earlier one (same source, destination, key and arguments) and ${duplicates === 1 ? 'was' : 'were'} merged: RabbitMQ holds one.`);

  const diagram = buildDiagram(exchanges, queues, [...bindings.values()], lines, builtInsDeclared);
  const problems = validateDiagram(diagram);
  if (problems.length > 0) return { ok: false, message: `The import made a diagram the playground cannot hold: ${problems[0]}.` };

  if (others.length > 0) lines.notes.push(`This file also has ${others.length === 1 ? 'vhost' : 'vhosts'} ${nameList(others)}; import again and choose one to see ${others.length === 1 ? 'it' : 'them'}.`);
  const version = typeof root.rabbit_version === 'string' ? root.rabbit_version : typeof root.rabbitmq_version === 'string' ? root.rabbitmq_version : null;
  if (version !== null && !/^4\./.test(version)) lines.notes.push(`The file comes from RabbitMQ ${version.slice(0, 20)}; the playground follows RabbitMQ 4.3.`);
  lines.notes.push('Definitions have no producers or consumers, so the diagram has none: add them to publish and consume.');

  const count = (kind: 'exchange' | 'queue') => diagram.nodes.filter((n) => n.kind === kind).length;
  const cap = (list: string[]) =>
    list.length <= DEFINITIONS_LIMITS.reportLines ? list : [...list.slice(0, DEFINITIONS_LIMITS.reportLines), `…and ${list.length - DEFINITIONS_LIMITS.reportLines} more.`];
  return {
    ok: true,
    diagram,
    report: {
      vhost,
      counts: { exchanges: count('exchange'), queues: count('queue'), bindings: diagram.bindings.length },
      skipped: cap(lines.skipped),
      fixed: cap(lines.fixed),
      notes: cap(lines.notes),
    },
  };
}

/** Nodes (built-in exchanges that are used included), bindings with ids, then the layout. */
function buildDiagram(
  exchanges: ReadonlyMap<string, ExchangeDraft>,
  queues: ReadonlyMap<string, QueueDraft>,
  bindings: readonly BindingSpec[],
  lines: Lines,
  builtInsDeclared: ReadonlySet<string>,
): Diagram {
  const used = new Set<string>();
  const useIfBuiltIn = (name: unknown) => {
    if (typeof name === 'string' && isBuiltInExchange(name) && !exchanges.has(name)) used.add(name);
  };
  for (const b of bindings) {
    useIfBuiltIn(b.source);
    if (b.destinationKind === 'exchange') useIfBuiltIn(b.destination);
  }
  for (const q of queues.values()) useIfBuiltIn(q.arguments['x-dead-letter-exchange']);
  for (const x of exchanges.values()) useIfBuiltIn(x.arguments['alternate-exchange']);

  const at = { x: 0, y: 0 };
  const exchangeNodes: ExchangeNode[] = [];
  for (const name of used) {
    const b = builtInExchange(name)!;
    exchangeNodes.push({ id: '', kind: 'exchange', position: at, name, type: b.type, durable: b.durable, autoDelete: b.autoDelete, internal: b.internal, arguments: {} });
  }
  for (const x of exchanges.values()) {
    exchangeNodes.push({ id: '', kind: 'exchange', position: at, name: x.name, type: x.type, durable: x.durable, autoDelete: x.autoDelete, internal: x.internal, arguments: x.arguments });
  }
  exchangeNodes.sort((a, b) => byText(a.name, b.name));
  exchangeNodes.forEach((n, i) => (n.id = `exchange-${i + 1}`));
  const queueNodes: QueueNode[] = [...queues.values()]
    .sort((a, b) => byText(a.name, b.name))
    .map((q, i) => ({ id: `queue-${i + 1}`, kind: 'queue', position: at, name: q.name, durable: q.durable, exclusive: false, autoDelete: q.autoDelete, arguments: q.arguments }));

  const exchangeId = new Map(exchangeNodes.map((n) => [n.name, n.id]));
  const queueId = new Map(queueNodes.map((n) => [n.name, n.id]));
  const edges: BindingEdge[] = bindings
    .map((b) => ({ key: bindingSpecKey(b), b }))
    .sort((x, y) => byText(x.key, y.key))
    .map(({ b }, i) => ({
      id: `binding-${i + 1}`,
      source: exchangeId.get(b.source)!,
      destination: { kind: b.destinationKind, id: (b.destinationKind === 'queue' ? queueId : exchangeId).get(b.destination)! },
      routingKey: b.routingKey,
      arguments: b.arguments,
    }));

  if (used.size > 0) {
    const names = [...used].sort(byText).map((n) => (n === '' ? '(the default exchange)' : n));
    lines.notes.push(`Added the built-in ${used.size === 1 ? 'exchange' : 'exchanges'} ${nameList(names)}, which ${used.size === 1 ? 'is' : 'are'} not declared in definitions but ${used.size === 1 ? 'is' : 'are'} used here.`);
  }
  const listedBuiltIns = [...builtInsDeclared].filter((n) => !used.has(n));
  if (listedBuiltIns.length > 0) {
    lines.skipped.push(`Built-in ${listedBuiltIns.length === 1 ? 'exchange' : 'exchanges'} ${nameList(listedBuiltIns.map((n) => (n === '' ? '(the default exchange)' : n)))}: every vhost has ${listedBuiltIns.length === 1 ? 'it' : 'them'} already, and nothing here uses ${listedBuiltIns.length === 1 ? 'it' : 'them'}.`);
  }
  return layoutImported({ version: 1, nodes: [...exchangeNodes, ...queueNodes], bindings: edges });
}

// -------------------------------------------------------------------------- export ---

/**
 * The diagram's exchanges, queues and bindings as RabbitMQ 4.3 definitions of one vhost, with
 * notes on what was left out: producers and consumers, exclusive queues (RabbitMQ's import
 * ignores `exclusive`, which would make them plain queues) and their bindings, and argument
 * values JSON cannot carry. Queues without `x-queue-type` get 'classic', the playground's type,
 * so a vhost whose default queue type is quorum does not turn them into quorum queues.
 */
export function exportDefinitions(diagram: Diagram, options: ExportOptions = {}): ExportResult {
  const vhost = options.vhost ?? '/';
  const version = options.rabbitVersion ?? DEFAULT_RABBIT_VERSION;
  const notes: string[] = [];
  const topology = topologyOf(diagram);

  const exchanges: DefinitionExchange[] = topology.exchanges.map((x) => ({
    name: x.name,
    vhost,
    type: x.type,
    durable: x.durable,
    auto_delete: x.autoDelete,
    internal: x.internal,
    arguments: exportTable(x.arguments, exchangeWho(x.name), notes),
  }));

  const exclusive = new Set<string>();
  const typed: string[] = [];
  const queues: DefinitionQueue[] = [];
  for (const q of topology.queues) {
    if (q.exclusive) {
      exclusive.add(q.name);
      continue;
    }
    const args = exportTable(q.arguments, `queue ${quote(q.name)}`, notes);
    if (!own(args, 'x-queue-type')) {
      args['x-queue-type'] = 'classic';
      typed.push(q.name);
    }
    const t = args['x-queue-type'];
    queues.push({ name: q.name, vhost, type: t === 'quorum' || t === 'stream' ? t : 'classic', durable: q.durable, auto_delete: q.autoDelete, arguments: args });
  }

  const bindings: DefinitionBinding[] = [];
  let droppedWithExclusive = 0;
  for (const b of topology.bindings) {
    if (b.destinationKind === 'queue' && exclusive.has(b.destination)) {
      droppedWithExclusive++;
      continue;
    }
    bindings.push({
      source: b.source,
      vhost,
      destination: b.destination,
      destination_type: b.destinationKind,
      routing_key: b.routingKey,
      arguments: exportTable(b.arguments, `the binding from ${exchangeWho(b.source)} to ${b.destinationKind} ${quote(b.destination)}`, notes),
    });
  }

  if (exclusive.size > 0) {
    const list = [...exclusive];
    notes.push(
      `Left out the exclusive ${list.length === 1 ? 'queue' : 'queues'} ${nameList(list)}${droppedWithExclusive > 0 ? ` and ${plural(droppedWithExclusive, 'binding')} to ${list.length === 1 ? 'it' : 'them'}` : ''}: an exclusive queue belongs to one connection, and RabbitMQ's import would make it a plain queue.`,
    );
  }
  const serverNamed = new Set(diagram.nodes.filter((n) => n.kind === 'queue' && n.name === '').map((n) => n.id));
  if (serverNamed.size > 0) {
    const bound = diagram.bindings.filter((b) => serverNamed.has(b.destination.id)).length;
    const one = serverNamed.size === 1;
    notes.push(
      `Left out ${plural(serverNamed.size, 'server-named queue')}${bound > 0 ? ` and ${plural(bound, 'binding')} to ${one ? 'it' : 'them'}` : ''}: the broker names such a queue (amq.gen-…) when a client declares it, so definitions cannot list ${one ? 'it' : 'them'}.`,
    );
  }
  if (typed.length > 0) {
    notes.push(`Wrote x-queue-type 'classic' for ${nameList(typed)}, which had none: RabbitMQ gives such a queue the vhost's default type, which may be quorum; the playground simulates a classic queue.`);
  }
  const producers = diagram.nodes.filter((n) => n.kind === 'producer').length;
  const consumers = diagram.nodes.filter((n) => n.kind === 'consumer').length;
  if (producers + consumers > 0) {
    const parts = [producers > 0 ? plural(producers, 'producer') : '', consumers > 0 ? plural(consumers, 'consumer') : ''].filter(Boolean).join(' and ');
    notes.push(`Left out ${parts}: definitions describe the broker, not its clients.`);
  }
  return {
    definitions: {
      rabbit_version: version,
      rabbitmq_version: version,
      users: [],
      vhosts: [{ name: vhost }],
      permissions: [],
      topic_permissions: [],
      parameters: [],
      global_parameters: [],
      policies: [],
      queues,
      exchanges,
      bindings,
    },
    notes,
  };
}
