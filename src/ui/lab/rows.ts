/**
 * The headers tab's editable rows (name and value text) and the JSON tables they stand for.
 * Values are read as the inspector reads header rows (fields.ts): 2 is a number, true a
 * boolean, "2" text.
 */

import { X_MATCH_RULES, type XMatchRule } from '../../document/index';
import type { JsonTable } from '../../document/types';
import { headerType, headerValue, typedRows } from '../panels/fields';

export interface LabRow {
  key: string;
  value: string;
}


/** Rows from a table (x-match left out: it has its own select). */
export function rowsOf(table: JsonTable): LabRow[] {
  return typedRows(table, ['x-match']).map(({ key, value }) => ({ key, value }));
}

/** The table the rows stand for; rows without a name are skipped, a later row wins over an earlier one. */
export function tableOf(rows: readonly LabRow[]): JsonTable {
  const table: JsonTable = {};
  for (const row of rows) {
    const key = row.key.trim();
    if (key !== '') table[key] = headerValue(row.value);
  }
  return table;
}

/** The binding's arguments: the x-match rule first, then the rows. */
export function bindingArgumentsOf(xMatch: XMatchRule, rows: readonly LabRow[]): JsonTable {
  return { 'x-match': xMatch, ...tableOf(rows) };
}

/** A known x-match rule from a binding's arguments, else all (RabbitMQ's default). */
export function xMatchChoice(table: JsonTable): XMatchRule {
  const value = table['x-match'];
  return (X_MATCH_RULES as readonly unknown[]).includes(value) ? (value as XMatchRule) : 'all';
}

/** The type tag a row's value gets (text, num, bool, json), as the inspector's rows show it. */
export function rowTypeTag(value: string): string {
  const tags = { string: 'text', number: 'num', boolean: 'bool', other: 'json' } as const;
  return tags[headerType(headerValue(value))];
}
