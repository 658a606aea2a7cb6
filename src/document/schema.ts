/**
 * The diagram's versioned schema (version 1), written with valibot: the shape types.ts gives a
 * Diagram, plus the caps on everything that comes from outside (counts, string sizes, the depth
 * and size of field tables). The loader (load.ts) repairs what it can, then parses with this
 * schema, then runs validateDiagram for RabbitMQ's rules; value rules (a prefetch's range, a
 * name's `amq.` prefix) stay in validate.ts, so they have one home.
 *
 * Cost: one pass over the diagram; a field table is walked once per check (linear in its size,
 * at most TABLE_LIMITS.values values). Only the valibot functions used here reach the bundle.
 */

import * as v from 'valibot';
import { MAX_EXERCISES } from './exercises';
import { isPlainObject } from './json';
import { MAX_NAME_BYTES, utf8Length } from './names';
import type { Diagram } from './types';
import { EXCHANGE_TYPES, FAILURE_ACTIONS } from './validate';

/** The version this code writes and reads. A document with a higher one was made by a newer app. */
export const DIAGRAM_VERSION = 1;

/** Caps on a diagram from outside: past these, it is refused rather than repaired. */
export const DIAGRAM_LIMITS = Object.freeze({
  nodes: 500,
  bindings: 2000,
  exercises: MAX_EXERCISES,
  /** Names, routing and binding keys, exercise keys: AMQP short strings. */
  nameBytes: MAX_NAME_BYTES,
  /** Ids are the document's own; no id it makes comes near this. */
  idChars: 255,
  /** A producer's message body. */
  bodyBytes: 64 * 1024,
});

/** Caps on one field table (arguments, headers, properties). */
export const TABLE_LIMITS = Object.freeze({
  /** The table is depth 1; a table or array inside it depth 2, and so on. */
  depth: 8,
  /** Entries and array items at every depth. */
  values: 1000,
  keyBytes: MAX_NAME_BYTES,
  stringBytes: 64 * 1024,
});

/** Keys that would reach an object's prototype if assigned: never copied, anywhere. */
export const UNSAFE_KEYS: ReadonlySet<string> = new Set(['__proto__', 'constructor', 'prototype']);

/**
 * Why a value is not a field table in the document's JSON form (a plain object of JSON values,
 * within TABLE_LIMITS, no unsafe key), or null. Iterative, so a deep value cannot overflow the stack.
 */
export function tableProblem(value: unknown): string | null {
  if (!isPlainObject(value) || !hasPlainPrototype(value)) return 'must be a table (a JSON object)';
  let count = 0;
  const stack: { value: unknown; depth: number }[] = [{ value, depth: 1 }];
  while (stack.length > 0) {
    const { value: item, depth } = stack.pop()!;
    if (typeof item === 'string') {
      if (!bytesAtMost(item, TABLE_LIMITS.stringBytes)) return `must hold texts of at most ${kib(TABLE_LIMITS.stringBytes)} each`;
      continue;
    }
    if (typeof item === 'number') {
      if (!Number.isFinite(item)) return 'must hold finite numbers only';
      continue;
    }
    if (item === null || typeof item === 'boolean') continue;
    if (typeof item !== 'object' || !hasPlainPrototype(item)) return 'must hold JSON values only (text, numbers, true, false, null, lists and tables)';
    if (depth > TABLE_LIMITS.depth) return `must be nested at most ${TABLE_LIMITS.depth} levels deep`;
    const children = Array.isArray(item) ? item : Object.keys(item);
    count += children.length;
    if (count > TABLE_LIMITS.values) return `must hold at most ${TABLE_LIMITS.values} values`;
    if (Array.isArray(item)) {
      for (const child of item) stack.push({ value: child, depth: depth + 1 });
      continue;
    }
    for (const key of children as string[]) {
      if (UNSAFE_KEYS.has(key)) return `cannot have a key named '${key}'`;
      if (!bytesAtMost(key, TABLE_LIMITS.keyBytes)) return `must have keys of at most ${TABLE_LIMITS.keyBytes} bytes`;
      stack.push({ value: (item as Record<string, unknown>)[key], depth: depth + 1 });
    }
  }
  return null;
}

/** An array, or an object made by `{}`, JSON.parse or Object.create(null): nothing with a class. */
export function hasPlainPrototype(value: object): boolean {
  const proto = Object.getPrototypeOf(value) as unknown;
  return Array.isArray(value) ? proto === Array.prototype : proto === Object.prototype || proto === null;
}

const kib = (bytes: number) => `${bytes / 1024} KiB`;

/** True when a string has at most `max` bytes of UTF-8 (encoding it only when it might not). */
export function bytesAtMost(text: string, max: number): boolean {
  if (text.length > max) return false;
  return text.length * 3 <= max || utf8Length(text) <= max;
}

// Messages complete "<element>: <field> ...", as the loader writes them.
const text = v.string('must be text');
const shortText = v.pipe(text, v.check((s) => bytesAtMost(s, DIAGRAM_LIMITS.nameBytes), `must be at most ${DIAGRAM_LIMITS.nameBytes} bytes of UTF-8 (an AMQP short string)`));
const id = v.pipe(text, v.check((s) => s.length > 0 && s.length <= DIAGRAM_LIMITS.idChars, `must be an id of 1 to ${DIAGRAM_LIMITS.idChars} characters`));
const num = v.number('must be a number');
const bool = v.boolean('must be true or false');
const table = v.pipe(
  v.record(v.string(), v.unknown()),
  v.rawCheck(({ dataset, addIssue }) => {
    const problem = dataset.typed ? tableProblem(dataset.value) : null;
    if (problem) addIssue({ message: problem });
  }),
);
const oneOf = <const T extends string>(options: readonly T[]) => v.picklist(options, `must be one of ${options.join(', ')}`);

const position = v.object({ x: num, y: num }, 'must be { x, y }');

export const ExchangeSchema = v.object({
  id,
  kind: v.literal('exchange'),
  position,
  name: shortText,
  type: oneOf(EXCHANGE_TYPES),
  durable: bool,
  autoDelete: bool,
  internal: bool,
  arguments: table,
});

export const QueueSchema = v.object({
  id,
  kind: v.literal('queue'),
  position,
  name: shortText,
  durable: bool,
  exclusive: bool,
  autoDelete: bool,
  arguments: table,
});

const body = v.pipe(text, v.check((s) => bytesAtMost(s, DIAGRAM_LIMITS.bodyBytes), `must be at most ${kib(DIAGRAM_LIMITS.bodyBytes)}`));

export const PublishModeSchema = v.variant(
  'kind',
  [v.object({ kind: v.literal('once') }), v.object({ kind: v.literal('burst'), count: num }), v.object({ kind: v.literal('rate'), perSecond: num })],
  'must be once, burst or rate',
);

export const ProducerSchema = v.object({
  id,
  kind: v.literal('producer'),
  position,
  name: shortText,
  target: v.nullable(v.object({ kind: oneOf(['exchange', 'queue'] as const), id })),
  message: v.object({ routingKey: shortText, body, properties: table }, 'must be { routingKey, body, properties }'),
  mode: PublishModeSchema,
});

export const ConsumerSchema = v.object({
  id,
  kind: v.literal('consumer'),
  position,
  name: shortText,
  queue: v.nullable(id),
  prefetch: num,
  ackMode: oneOf(['auto', 'manual'] as const),
  workMs: num,
  failure: v.object({ rate: num, action: oneOf(FAILURE_ACTIONS) }, 'must be { rate, action }'),
  running: bool,
  reply: v.optional(body),
});

export const NodeSchema = v.variant('kind', [ExchangeSchema, QueueSchema, ProducerSchema, ConsumerSchema], 'must be a producer, exchange, queue or consumer');

export const BindingSchema = v.object({
  id,
  source: id,
  destination: v.object({ kind: oneOf(['queue', 'exchange'] as const), id }, 'must be { kind, id }'),
  routingKey: shortText,
  arguments: table,
});

export const ExerciseSchema = v.object({ bindingKey: shortText, routingKey: shortText }, 'must be { bindingKey, routingKey }');

export const ViewSchema = v.object({ x: num, y: num, zoom: num }, 'must be { x, y, zoom }');

const list = <T extends v.GenericSchema>(item: T, max: number, what: string) =>
  v.pipe(v.array(item, 'must be a list'), v.maxLength(max, `must hold at most ${max} ${what}`));

/** A whole diagram, version 1. */
export const DiagramSchema = v.object(
  {
    version: v.literal(DIAGRAM_VERSION, `must be ${DIAGRAM_VERSION}`),
    nodes: list(NodeSchema, DIAGRAM_LIMITS.nodes, 'nodes'),
    bindings: list(BindingSchema, DIAGRAM_LIMITS.bindings, 'bindings'),
    view: v.optional(ViewSchema),
    exercises: v.optional(list(ExerciseSchema, DIAGRAM_LIMITS.exercises, 'exercises')),
  },
  'must be an object',
);

// The schema describes exactly the Diagram of types.ts: this line stops compiling if they drift.
type Same<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;
const schemaIsDiagram: Same<v.InferOutput<typeof DiagramSchema>, Diagram> = true;
void schemaIsDiagram;

/** Where a schema issue is: the path of keys and indices from the diagram down. */
export type SchemaPath = readonly (string | number)[];

/** The diagram, checked against the schema (a new object, unknown keys left out), or the first issue. */
export function parseDiagram(value: unknown): { ok: true; diagram: Diagram } | { ok: false; path: SchemaPath; message: string } {
  const result = v.safeParse(DiagramSchema, value, { abortEarly: true });
  if (result.success) return { ok: true, diagram: result.output };
  const issue = result.issues[0];
  const path = (issue.path ?? []).map((item) => item.key as string | number);
  return { ok: false, path, message: issue.message };
}
