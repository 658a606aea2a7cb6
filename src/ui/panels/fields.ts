/**
 * Small pure helpers of the inspector: reading form text as the document's values (numbers,
 * optional arguments, CC lists) and writing argument tables without mutating them.
 */

import type { Diagram, JsonTable } from '../../document/types';

/** What the inspector has selected on the canvas. */
export type Selection =
  | { kind: 'node'; id: string }
  | { kind: 'binding'; id: string }
  | { kind: 'link'; from: string; to: string }
  | { kind: 'many'; count: number };

export type Parsed<T> = { ok: true; value: T } | { ok: false; reason: string };

/** '' is "not set"; anything else must be a number (whole if `integer`), at least `min`. */
export function parseOptionalNumber(text: string, options: { integer?: boolean; min?: number } = {}): Parsed<number | undefined> {
  const trimmed = text.trim();
  if (trimmed === '') return { ok: true, value: undefined };
  const value = Number(trimmed);
  if (!Number.isFinite(value)) return { ok: false, reason: `'${trimmed}' is not a number` };
  if (options.integer && !Number.isInteger(value)) return { ok: false, reason: `'${trimmed}' is not a whole number` };
  if (options.min !== undefined && value < options.min) return { ok: false, reason: `at least ${options.min}` };
  return { ok: true, value };
}

/** A number that must be set. */
export function parseNumber(text: string, options: { integer?: boolean; min?: number } = {}): Parsed<number> {
  const parsed = parseOptionalNumber(text, options);
  if (!parsed.ok) return parsed;
  if (parsed.value === undefined) return { ok: false, reason: 'a number is needed' };
  return { ok: true, value: parsed.value };
}

/** A copy of `table` with `key` set to `value`, or without `key` when `value` is undefined or ''. */
export function withEntry(table: JsonTable, key: string, value: unknown): JsonTable {
  const next: JsonTable = { ...table };
  if (value === undefined || value === '') delete next[key];
  else next[key] = value;
  return next;
}

/** An argument as form text ('' when unset). */
export function entryText(table: JsonTable, key: string): string {
  const value = table[key];
  if (value === undefined || value === null) return '';
  if (typeof value === 'object') {
    const long = (value as { $long?: unknown }).$long;
    return long !== undefined ? String(long) : JSON.stringify(value);
  }
  return String(value);
}

/** CC as form text: 'a, b'. */
export function ccText(value: unknown): string {
  if (Array.isArray(value)) return value.map(String).join(', ');
  return typeof value === 'string' ? value : '';
}

/** Form text as a CC list (undefined when empty). */
export function parseCc(text: string): string[] | undefined {
  const keys = text
    .split(',')
    .map((k) => k.trim())
    .filter((k) => k !== '');
  return keys.length === 0 ? undefined : keys;
}

/** The header rows of a headers binding's arguments (all but x-match), as text. */
export function headerRows(args: JsonTable): Array<{ key: string; value: string }> {
  return Object.keys(args)
    .filter((k) => k !== 'x-match')
    .map((key) => ({ key, value: entryText(args, key) }));
}

/** A header value from form text: numbers and true/false as such, "quoted" text and the rest as strings. */
export function headerValue(text: string): unknown {
  const t = text.trim();
  // "2" in quotes is the string '2', not the number.
  if (isQuoted(t)) {
    try {
      const inner: unknown = JSON.parse(t);
      if (typeof inner === 'string') return inner;
    } catch {
      // Not JSON: keep the text as it is.
    }
  }
  return readTyped(text);
}

/**
 * A header value as form text that `headerValue` reads back as the same value: a string that
 * would read as a number or a boolean is quoted ('"2"'), so typed values survive an edit.
 */
export function headerText(value: unknown): string {
  if (typeof value === 'string') return typeof readTyped(value) === 'string' && !isQuoted(value) ? value : JSON.stringify(value);
  return entryText({ v: value }, 'v');
}

/** What a header value is, as the row shows it. */
export function headerType(value: unknown): 'string' | 'number' | 'boolean' | 'other' {
  if (typeof value === 'string') return 'string';
  if (typeof value === 'number' || (typeof value === 'object' && value !== null && '$long' in value)) return 'number';
  if (typeof value === 'boolean') return 'boolean';
  return 'other';
}

const isQuoted = (t: string) => t.length >= 2 && t.startsWith('"') && t.endsWith('"');

function readTyped(text: string): unknown {
  const t = text.trim();
  if (t === 'true') return true;
  if (t === 'false') return false;
  if (t !== '' && Number.isFinite(Number(t)) && /^-?\d+(\.\d+)?$/.test(t)) return Number(t);
  return text;
}

/** Header rows of any table (all keys but `exclude`), as text that round-trips through `headerValue`. */
export function typedRows(table: JsonTable, exclude: readonly string[] = []): Array<{ key: string; value: string; type: ReturnType<typeof headerType> }> {
  return Object.keys(table)
    .filter((k) => !exclude.includes(k))
    .map((key) => ({ key, value: headerText(table[key]), type: headerType(table[key]) }));
}

/** A choice of a select: the value (a node id, or '' for none) and what it says. */
export interface Choice {
  value: string;
  label: string;
}

/** An exchange's name as the panels say it: the default exchange is '(default)'. */
export const exchangeName = (name: string): string => (name === '' ? '(default)' : name);

/** Where a producer may publish: exchanges by name, then queues as 'queue: NAME' (values are node ids). */
export function publishChoices(diagram: Diagram): { exchanges: Choice[]; queues: Choice[] } {
  return {
    exchanges: diagram.nodes.filter((n) => n.kind === 'exchange').map((n) => ({ value: n.id, label: exchangeName(n.name) })),
    queues: diagram.nodes.filter((n) => n.kind === 'queue').map((n) => ({ value: n.id, label: `queue: ${n.name}` })),
  };
}

/** The queues a consumer may read. */
export function queueChoices(diagram: Diagram): Choice[] {
  return diagram.nodes.filter((n) => n.kind === 'queue').map((n) => ({ value: n.id, label: n.name }));
}

/** What an exchange may be bound to: queues and the other exchanges (the document refuses the impossible ones). */
export function bindChoices(diagram: Diagram, exchangeId: string): { queues: Choice[]; exchanges: Choice[] } {
  return {
    queues: queueChoices(diagram),
    exchanges: diagram.nodes.filter((n) => n.kind === 'exchange' && n.id !== exchangeId).map((n) => ({ value: n.id, label: exchangeName(n.name) })),
  };
}

/** An exchange's outgoing bindings, with their destinations' names and kinds. */
export function outgoingBindings(diagram: Diagram, exchangeId: string): Array<{ id: string; kind: 'queue' | 'exchange'; destination: string; key: string }> {
  const names = new Map(diagram.nodes.map((n) => [n.id, n.kind === 'exchange' ? exchangeName(n.name) : n.name]));
  return diagram.bindings
    .filter((b) => b.source === exchangeId)
    .map((b) => ({ id: b.id, kind: b.destination.kind, destination: names.get(b.destination.id) ?? b.destination.id, key: b.routingKey }));
}

/** True for a plain table (a JSON object, not a list). */
export function isPlainTable(value: unknown): value is JsonTable {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
