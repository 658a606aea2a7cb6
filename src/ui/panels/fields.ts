/**
 * Small pure helpers of the inspector: reading form text as the document's values (numbers,
 * optional arguments, CC lists) and writing argument tables without mutating them.
 */

import type { JsonTable } from '../../document/types';

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

/** A header value from form text: numbers and true/false as such, the rest as strings. */
export function headerValue(text: string): unknown {
  const t = text.trim();
  if (t === 'true') return true;
  if (t === 'false') return false;
  if (t !== '' && Number.isFinite(Number(t)) && /^-?\d+(\.\d+)?$/.test(t)) return Number(t);
  return text;
}
