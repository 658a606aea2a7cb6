/**
 * Argument and header tables as form text, and back: what the inspector's fields and the
 * canvas's binding labels both show. Kept apart from the inspector's other helpers
 * (panels/fields.ts), which load with the inspector.
 */

import type { JsonTable } from '../document/types';

export type Parsed<T> = { ok: true; value: T } | { ok: false; reason: string };

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
