/**
 * Share links: the whole diagram in the address's fragment, `#v1<data>`: `v` and one digit (the
 * format's version; a later one is refused as newer), then the diagram as compact text,
 * deflated (raw DEFLATE with a preset dictionary, fflate) and written in base64url without
 * padding. A 20-node, 25-binding diagram with queue arguments and headers bindings takes about
 * 560 characters; the same diagram as deflated JSON about 1,400.
 *
 * The compact text (version 1: it never changes; a new form takes a new `v`) is one record a
 * line, the fields of a record separated by commas:
 *   header   nodes, bindings, view (0 or 1), exercises      (the last left out when there are none)
 *   node     kind, name, dx, dy, ...      kind 0 producer, 1 exchange, 2 queue, 3 consumer; dx, dy:
 *                                            its position less that of the node of its kind before
 *                                            it (0, 0 for the first), so a column costs little
 *   exchange ... type, flags, arguments      type: index in EXCHANGE_TYPES (2 topic); flags:
 *                                            1 not durable, 2 auto-delete, 4 internal
 *   queue    ... arguments, flags            arguments 0: {"x-queue-type":"classic"}; flags:
 *                                            1 not durable, 2 exclusive, 4 auto-delete
 *   producer ... target, routingKey, body, properties, mode
 *                                            target: a node's index (-1 none); mode 0 once,
 *                                            n > 0 a burst of n, r < 0 a rate of -r per second
 *   consumer ... queue, prefetch, ackMode, running, workMs, failureRate, failureAction, reply
 *                                            ackMode 0 manual, 1 auto; running 1 or 0;
 *                                            failureAction: index in FAILURE_ACTIONS
 *   binding  source, destination, routingKey, arguments    (ends are node indices)
 *   view     x, y, zoom;   exercise  bindingKey, routingKey
 * Fields equal to their defaults are left out at the end of a record. A text field is written
 * as it is, or as a JSON string when it holds a comma, a line break or starts like JSON;
 * tables are JSON. Positions and the view's x and y are rounded to whole pixels, its zoom to
 * 3 decimals. Ids are not
 * stored: decoding names the elements `<kind>-<n>` and `binding-<n>` in order, so a decoded
 * diagram encodes to the same link. The preset dictionary (SHARE_DICTIONARY) holds RabbitMQ's
 * argument and property names and the tutorials' strings, so their first use costs little.
 *
 * Decoding is for hostile input: the fragment's length is capped before anything is done, the
 * inflated size is capped while inflating (a stream, fed in small pieces, stopped at the cap),
 * the text is read by a linear scanner, and the result goes through loadDiagram, which caps,
 * repairs or refuses the rest. Cost: linear in the fragment; at most MAX_INFLATED_BYTES (plus
 * one piece's worth) are ever inflated.
 */

import { Inflate, deflateSync } from 'fflate';
import { loadDiagram, newerVersionMessage, type LoadResult } from './load';
import { canonicalJson } from './json';
import { DIAGRAM_LIMITS } from './schema';
import type { BindingEdge, ConsumerNode, Diagram, DiagramNode, ExchangeNode, NodeKind, Position, ProducerNode, PublishMode, QueueNode } from './types';
import { EXCHANGE_TYPES, FAILURE_ACTIONS } from './validate';

/** The fragment's prefix: `v` and the format's version. */
export const SHARE_PREFIX = 'v1';
/** Longer fragments are refused unread (a full 500-node diagram takes far less). */
export const MAX_FRAGMENT_CHARS = 200_000;
/** Inflating stops past this many bytes: no diagram is that large, a deflate bomb is. */
export const MAX_INFLATED_BYTES = 1024 * 1024;

/**
 * The preset dictionary of version 1: strings links often hold, the most common last (nearer
 * is cheaper). Part of the format: changing one byte breaks every v1 link (a test pins it).
 */
export const SHARE_DICTIONARY = [
  // The tutorials and the playground's example.
  'hello,task_queue,new_task,logs,emit_log,receive_logs,direct_logs,topic_logs,emit_log_topic,rpc_queue,',
  'quick.orange.rabbit,lazy.orange.elephant,*.orange.*,*.*.rabbit,lazy.#,kern.*,*.critical,info,warning,error,',
  'worker-orange,worker-lazy,A quick orange rabbit,',
  // Message properties.
  '{"headers":{"','"contentType":"application/json"','"text/plain"','"persistent":true','"priority":','"expiration":"',
  '"mandatory":true','"correlationId":"','"replyTo":"','"messageId":"','"CC":["','"BCC":["',
  // Words of the usual demo topologies (shops, logs, devices).
  'accounts,users,user.,inventory,shipping,shipped,cancelled,invoices,payments,payment.,notifications,email,sms,',
  'metrics,sensors,devices,service,api,retry,delayed,dlq,dead-letter,created,updated,deleted,paid,failed,',
  'express,priority,debug,critical,region,severity,source,type,events,alerts,audit,worker,orders,order.,.eu,.us,',
  // Arguments of exchanges, queues and headers bindings.
  '{"alternate-exchange":"','"x-max-length-bytes":','"x-max-priority":','"x-expires":','"x-single-active-consumer":true',
  '"x-delivery-limit":','"x-overflow":"reject-publish"','"drop-head"','"x-queue-type":"stream"','"x-queue-type":"quorum"',
  '"x-max-length":','"x-dead-letter-routing-key":"','{"x-message-ttl":','"x-dead-letter-exchange":"dlx"',
  '{"x-match":"any","','{"x-match":"all","',
  // Default names and body.
  '\nproducer-,\nexchange-,\nconsumer-,\nqueue-,Hello World!',
].join('');

const KIND_CODES: readonly NodeKind[] = ['producer', 'exchange', 'queue', 'consumer'];
const DEFAULT_BODY = 'Hello World!';
const CLASSIC_QUEUE = canonicalJson({ 'x-queue-type': 'classic' });
let dictionaryBytes: Uint8Array | undefined;
const dictionary = () => (dictionaryBytes ??= new TextEncoder().encode(SHARE_DICTIONARY));

// ---------------------------------------------------------------------------------------------
// Encoding

/** The fragment for a valid diagram (without the `#`): `v1` and the packed diagram. */
export function encodeShare(diagram: Diagram): string {
  const text = new TextEncoder().encode(toText(pack(diagram)));
  const deflated = deflateSync(text, { level: 9, mem: 12, dictionary: dictionary() });
  return SHARE_PREFIX + toBase64Url(deflated);
}

/** The records of a diagram's compact form: header, nodes, bindings, view, exercises (see the header). */
export type Packed = unknown[][];

/** The compact form of a diagram, as records of fields (see the header). */
export function pack(diagram: Diagram): Packed {
  const index = new Map(diagram.nodes.map((n, i) => [n.id, i]));
  const at = (id: string | null | undefined) => (id == null ? -1 : (index.get(id) ?? -1));
  const head: number[] = [diagram.nodes.length, diagram.bindings.length];
  if (diagram.view || diagram.exercises) head.push(diagram.view ? 1 : 0);
  if (diagram.exercises) head.push(diagram.exercises.length);
  const last = new Map<NodeKind, Position>();
  return [
    head,
    ...diagram.nodes.map((n) => {
      const position = { x: Math.round(n.position.x), y: Math.round(n.position.y) };
      const before = last.get(n.kind) ?? { x: 0, y: 0 };
      last.set(n.kind, position);
      return packNode(n, { x: position.x - before.x, y: position.y - before.y }, at);
    }),
    ...diagram.bindings.map((b) => packBinding(b, at)),
    ...(diagram.view ? [[Math.round(diagram.view.x), Math.round(diagram.view.y), roundZoom(diagram.view.zoom)]] : []),
    ...(diagram.exercises ?? []).map((e) => [e.bindingKey, e.routingKey]),
  ];
}

type Slot = [value: unknown, fallback: unknown];

/** The slots' values, without the trailing ones that equal their defaults. */
function trimmed(head: unknown[], slots: Slot[]): unknown[] {
  let end = slots.length;
  while (end > 0 && canonicalJson(slots[end - 1]![0]) === canonicalJson(slots[end - 1]![1])) end--;
  return [...head, ...slots.slice(0, end).map(([value]) => value)];
}

function packNode(node: DiagramNode, delta: Position, at: (id: string | null) => number): unknown[] {
  const head = [KIND_CODES.indexOf(node.kind), node.name, delta.x, delta.y];
  switch (node.kind) {
    case 'exchange':
      return trimmed(head, [
        [EXCHANGE_TYPES.indexOf(node.type), 2],
        [flags(!node.durable, node.autoDelete, node.internal), 0],
        [node.arguments, {}],
      ]);
    case 'queue':
      return trimmed(head, [
        [canonicalJson(node.arguments) === CLASSIC_QUEUE ? 0 : node.arguments, 0],
        [flags(!node.durable, node.exclusive, node.autoDelete), 0],
      ]);
    case 'producer':
      return trimmed(head, [
        [at(node.target?.id ?? null), -1],
        [node.message.routingKey, ''],
        [node.message.body, DEFAULT_BODY],
        [node.message.properties, {}],
        [packMode(node.mode), 0],
      ]);
    case 'consumer':
      return trimmed(head, [
        [at(node.queue), -1],
        [node.prefetch, 1],
        [node.ackMode === 'auto' ? 1 : 0, 0],
        [node.running ? 1 : 0, 1],
        [node.workMs, 1000],
        [node.failure.rate, 0],
        [FAILURE_ACTIONS.indexOf(node.failure.action), 0],
        [node.reply ?? null, null],
      ]);
  }
}

function packBinding(b: BindingEdge, at: (id: string) => number): unknown[] {
  return trimmed([at(b.source), at(b.destination.id)], [
    [b.routingKey, ''],
    [b.arguments, {}],
  ]);
}

/** A zoom to 3 decimals (no one sees the 4th), unless that would make it 0. */
function roundZoom(zoom: number): number {
  const rounded = Math.round(zoom * 1000) / 1000;
  return rounded > 0 ? rounded : zoom;
}

function packMode(mode: PublishMode): number {
  return mode.kind === 'burst' ? mode.count : mode.kind === 'rate' ? -mode.perSecond : 0;
}

const flags = (...bits: boolean[]) => bits.reduce((sum, bit, i) => sum + (bit ? 1 << i : 0), 0);

/** The records as text: a line each, fields joined by commas, text bare when it can be. */
export function toText(records: Packed): string {
  return records.map((fields) => fields.map(fieldText).join(',')).join('\n');
}

function fieldText(value: unknown): string {
  if (typeof value !== 'string') return JSON.stringify(value);
  // Bare text cannot hold the separators, nor start like a JSON value (the reader would take it for one).
  return /[,\n\r]/.test(value) || /^["{[]/.test(value) ? JSON.stringify(value) : value;
}

// ---------------------------------------------------------------------------------------------
// Decoding

/** The diagram in a fragment (with or without its `#`), checked and repaired by loadDiagram. Never throws. */
export function decodeShare(fragment: string): LoadResult {
  try {
    return decode(typeof fragment === 'string' ? fragment : '');
  } catch {
    return damaged();
  }
}

const damaged = (): LoadResult => ({ ok: false, message: 'This link is damaged or cut short: copy the whole link again.' });

function decode(fragment: string): LoadResult {
  const link = fragment.startsWith('#') ? fragment.slice(1) : fragment;
  if (link.length > MAX_FRAGMENT_CHARS) {
    return { ok: false, message: `This link is too long to hold a diagram (${link.length.toLocaleString('en')} characters; at most ${MAX_FRAGMENT_CHARS.toLocaleString('en')}).` };
  }
  // The version is the one digit after `v` (the data may start with a digit too).
  const version = /^v(\d)/.exec(link);
  if (!version) return { ok: false, message: 'This link does not hold a Routing Playground diagram: a shared diagram’s address ends in #v1 and its data.' };
  if (version[0] !== SHARE_PREFIX) {
    const n = Number(version[1]);
    return n > 1 ? { ok: false, message: newerVersionMessage('link', n) } : { ok: false, message: `This link does not hold a Routing Playground diagram (no Routing Playground writes ${version[0]} links).` };
  }
  const data = link.slice(SHARE_PREFIX.length);
  if (!/^[A-Za-z0-9_-]*$/.test(data)) return { ok: false, message: 'This link is damaged: it has characters a shared diagram never has. Copy the whole link again.' };
  const bytes = fromBase64Url(data);
  if (!bytes) return damaged();
  const inflated = inflateCapped(bytes, MAX_INFLATED_BYTES);
  if (inflated === 'too large') return { ok: false, message: `This link unpacks to more than ${MAX_INFLATED_BYTES / 1024 / 1024} MiB: far more than any diagram.` };
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(inflated);
  } catch {
    return damaged();
  }
  const records = fromText(text);
  const raw = records && unpack(records);
  return raw ? loadDiagram(raw, { source: 'link' }) : damaged();
}

/**
 * Raw DEFLATE inflated by a stream fed 1 KiB at a time, so no more than about 1 MiB past the cap
 * is ever made (DEFLATE expands at most 1032 times). A stream that is damaged or cut short
 * throws when its last piece is pushed (decodeShare turns that into a message).
 */
function inflateCapped(data: Uint8Array, cap: number): Uint8Array | 'too large' {
  const chunks: Uint8Array[] = [];
  let size = 0;
  const stream = new Inflate({ dictionary: dictionary() }, (chunk) => {
    size += chunk.length;
    if (size <= cap) chunks.push(chunk);
  });
  const PIECE = 1024;
  for (let offset = 0; ; offset += PIECE) {
    const last = offset + PIECE >= data.length;
    stream.push(data.subarray(offset, offset + PIECE), last);
    if (size > cap) return 'too large';
    if (last) break;
  }
  const out = new Uint8Array(size);
  let at = 0;
  for (const chunk of chunks) {
    out.set(chunk, at);
    at += chunk.length;
  }
  return out;
}

/**
 * The records in a compact text, or null when it is not one: lines, split into fields by a
 * linear scan (bare text up to a comma; JSON strings, tables and lists to their end).
 */
export function fromText(text: string): unknown[][] | null {
  const records: unknown[][] = [];
  for (const line of text.split('\n')) {
    const fields = readRecord(line);
    if (!fields) return null;
    records.push(fields);
  }
  return records;
}

function readRecord(line: string): unknown[] | null {
  const fields: unknown[] = [];
  let at = 0;
  for (;;) {
    const first = line[at];
    let end: number;
    if (first === '"' || first === '{' || first === '[') {
      end = first === '"' ? endOfString(line, at) : endOfJson(line, at);
      if (end < 0) return null;
      try {
        fields.push(JSON.parse(line.slice(at, end)));
      } catch {
        return null;
      }
    } else {
      end = line.indexOf(',', at);
      if (end < 0) end = line.length;
      fields.push(line.slice(at, end));
    }
    if (end === line.length) return fields;
    if (line[end] !== ',') return null;
    at = end + 1;
  }
}

/** The index after the JSON string that starts at `start`, or -1. */
function endOfString(text: string, start: number): number {
  for (let i = start + 1; i < text.length; i++) {
    if (text[i] === '\\') i++;
    else if (text[i] === '"') return i + 1;
  }
  return -1;
}

/** The index after the JSON table or list that starts at `start` (strings skipped), or -1. */
function endOfJson(text: string, start: number): number {
  let depth = 0;
  for (let i = start; i < text.length; i++) {
    const c = text[i];
    if (c === '"') {
      const end = endOfString(text, i);
      if (end < 0) return -1;
      i = end - 1;
    } else if (c === '{' || c === '[') depth++;
    else if (c === '}' || c === ']') {
      depth--;
      if (depth === 0) return i + 1;
    }
  }
  return -1;
}

const NUMBER = /^-?\d+(\.\d+)?([eE][+-]?\d+)?$/;

/** A number field: bare text that is a number becomes it; anything else is passed on (and refused later). */
const num = (value: unknown): unknown => (typeof value === 'string' && NUMBER.test(value) ? Number(value) : value);

/**
 * The raw diagram the records stand for, for loadDiagram to check: ids made up in order,
 * indices turned into those ids, codes into names. Anything not understood is passed on as it
 * is (the loader refuses it with its message); null when the records are not a compact form.
 */
export function unpack(records: unknown[][]): Record<string, unknown> | null {
  const head = records[0]?.map(num) ?? [];
  const [nodeCount, bindingCount, viewCount = 0, exerciseCount] = head;
  const counts = [nodeCount, bindingCount, viewCount, exerciseCount ?? 0];
  if (head.length < 2 || head.length > 4 || !counts.every((c) => Number.isSafeInteger(c) && (c as number) >= 0) || (viewCount as number) > 1) return null;
  const [n, b, v, e] = counts as number[];
  if (records.length !== 1 + n! + b! + v! + e!) return null;
  const nodes = records.slice(1, 1 + n!);
  const bindings = records.slice(1 + n!, 1 + n! + b!);
  // Refused by the loader too, with its message; stopping here spares building what it would refuse.
  if (n! > DIAGRAM_LIMITS.nodes || b! > DIAGRAM_LIMITS.bindings) return { version: 1, nodes, bindings };
  const ids = idsFor(nodes);
  const idAt = (i: unknown) => {
    const index = num(i);
    return typeof index === 'number' && Number.isInteger(index) && index >= 0 && index < ids.length ? ids[index]! : index === -1 ? null : `#${String(index)}`;
  };
  const kindAt = (i: unknown) => kindOf(nodes[Number(num(i))]);
  const positions = positionsFor(nodes);
  const out: Record<string, unknown> = {
    version: 1,
    nodes: nodes.map((record, i) => unpackNode(record, ids[i]!, positions[i]!, idAt, kindAt)),
    bindings: bindings.map((record, i) => unpackBinding(record, `binding-${i + 1}`, idAt, kindAt)),
  };
  if (v === 1) {
    const view = records[1 + n! + b!]!.map(num);
    out.view = { x: view[0], y: view[1], zoom: view[2] };
  }
  if (exerciseCount !== undefined) {
    out.exercises = records.slice(1 + n! + b! + v!).map((record) => ({ bindingKey: record[0], routingKey: record[1] }));
  }
  return out;
}

/** `producer-1`, `exchange-1`, `exchange-2`, ... in order: the same ids every time. */
function idsFor(nodes: unknown[][]): string[] {
  const counts = new Map<string, number>();
  return nodes.map((n) => {
    const kind = kindOf(n) ?? 'node';
    const count = (counts.get(kind) ?? 0) + 1;
    counts.set(kind, count);
    return `${kind}-${count}`;
  });
}

/**
 * Positions from the records' changes, per kind. A change that is not a number is passed on
 * (the loader places that node at 0, 0) and the next node of its kind counts from 0, 0.
 */
function positionsFor(nodes: unknown[][]): { x: unknown; y: unknown }[] {
  const last = new Map<string, Position>();
  return nodes.map((record) => {
    const kind = kindOf(record) ?? 'node';
    const before = last.get(kind) ?? { x: 0, y: 0 };
    const dx = num(slot(record, 2, 0));
    const dy = num(slot(record, 3, 0));
    if (typeof dx !== 'number' || typeof dy !== 'number') {
      last.delete(kind);
      return { x: dx, y: dy };
    }
    const position = { x: before.x + dx, y: before.y + dy };
    last.set(kind, position);
    return position;
  });
}

function kindOf(record: unknown[] | undefined): NodeKind | undefined {
  const code = num(record?.[0]);
  return typeof code === 'number' ? KIND_CODES[code] : undefined;
}

/** Field `i` of a record, or its default when it is left out. */
const slot = (record: unknown[], i: number, fallback: unknown): unknown => (i < record.length ? record[i] : fallback);

/** A code (an index into `names`) as its name; anything else passed on for the loader to refuse. */
function named<T>(names: readonly T[], field: unknown): unknown {
  const code = num(field);
  return typeof code === 'number' && Number.isInteger(code) && code >= 0 && code < names.length ? names[code] : code;
}

/** The flag bits of a record, or null when they are not a small whole number. */
function bitsOf(field: unknown): ((bit: number) => boolean) | null {
  const value = num(field);
  return typeof value === 'number' && Number.isInteger(value) && value >= 0 && value < 8 ? (bit) => (value & bit) !== 0 : null;
}

type IdAt = (field: unknown) => string | null;
type KindAt = (field: unknown) => NodeKind | undefined;

function unpackNode(record: unknown[], id: string, position: { x: unknown; y: unknown }, idAt: IdAt, kindAt: KindAt): unknown {
  const kind = kindOf(record);
  if (!kind) return { kind: num(record[0]) };
  const base = { id, kind, name: slot(record, 1, undefined), position };
  switch (kind) {
    case 'exchange': {
      const bit = bitsOf(slot(record, 5, 0));
      return {
        ...base,
        type: named(EXCHANGE_TYPES, slot(record, 4, 2)),
        ...(bit ? { durable: !bit(1), autoDelete: bit(2), internal: bit(4) } : { durable: slot(record, 5, 0) }),
        arguments: slot(record, 6, {}),
      } satisfies Partial<Record<keyof ExchangeNode, unknown>>;
    }
    case 'queue': {
      const args = num(slot(record, 4, 0));
      const bit = bitsOf(slot(record, 5, 0));
      return {
        ...base,
        ...(bit ? { durable: !bit(1), exclusive: bit(2), autoDelete: bit(4) } : { durable: slot(record, 5, 0) }),
        arguments: args === 0 ? { 'x-queue-type': 'classic' } : args,
      } satisfies Partial<Record<keyof QueueNode, unknown>>;
    }
    case 'producer': {
      const target = slot(record, 4, -1);
      const targetId = idAt(target);
      return {
        ...base,
        target: targetId === null ? null : { kind: kindAt(target) ?? 'exchange', id: targetId },
        message: { routingKey: slot(record, 5, ''), body: slot(record, 6, DEFAULT_BODY), properties: slot(record, 7, {}) },
        mode: unpackMode(num(slot(record, 8, 0))),
      } satisfies Partial<Record<keyof ProducerNode, unknown>>;
    }
    case 'consumer':
      return {
        ...base,
        queue: idAt(slot(record, 4, -1)),
        prefetch: num(slot(record, 5, 1)),
        ackMode: named(['manual', 'auto'], slot(record, 6, 0)),
        running: named([false, true], slot(record, 7, 1)),
        workMs: num(slot(record, 8, 1000)),
        failure: { rate: num(slot(record, 9, 0)), action: named(FAILURE_ACTIONS, slot(record, 10, 0)) },
        ...(slot(record, 11, null) === null ? {} : { reply: slot(record, 11, null) }),
      } satisfies Partial<Record<keyof ConsumerNode, unknown>>;
  }
}

function unpackMode(value: unknown): unknown {
  if (typeof value !== 'number') return value;
  return value === 0 ? { kind: 'once' } : value > 0 ? { kind: 'burst', count: value } : { kind: 'rate', perSecond: -value };
}

function unpackBinding(record: unknown[], id: string, idAt: IdAt, kindAt: KindAt): unknown {
  const destination = slot(record, 1, -1);
  return {
    id,
    source: idAt(slot(record, 0, -1)),
    destination: { kind: kindAt(destination) ?? 'queue', id: idAt(destination) },
    routingKey: slot(record, 2, ''),
    arguments: slot(record, 3, {}),
  } satisfies Partial<Record<keyof BindingEdge, unknown>>;
}

// ---------------------------------------------------------------------------------------------
// base64url without padding

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
const VALUES = new Map([...ALPHABET].map((c, i) => [c, i]));

export function toBase64Url(bytes: Uint8Array): string {
  let out = '';
  for (let i = 0; i < bytes.length; i += 3) {
    const n = (bytes[i]! << 16) | ((bytes[i + 1] ?? 0) << 8) | (bytes[i + 2] ?? 0);
    const chars = Math.min(4, Math.ceil(((bytes.length - i) * 8) / 6));
    for (let c = 0; c < chars; c++) out += ALPHABET[(n >> (18 - 6 * c)) & 63];
  }
  return out;
}

/** The bytes, or null when the text is not base64url (a stray character, an impossible length). */
export function fromBase64Url(text: string): Uint8Array | null {
  if (text.length % 4 === 1) return null;
  const out = new Uint8Array(Math.floor((text.length * 6) / 8));
  let bits = 0;
  let value = 0;
  let at = 0;
  for (const char of text) {
    const v = VALUES.get(char);
    if (v === undefined) return null;
    value = ((value << 6) | v) & 0xffffff;
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out[at++] = (value >> bits) & 0xff;
    }
  }
  return out;
}
