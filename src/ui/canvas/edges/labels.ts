/**
 * What the canvas's edge labels say, as plain text: a binding's key (or a headers binding's
 * arguments, compactly), the words a screen reader hears, and the arguments a headers editor's
 * rows stand for. Pure, so it is tested without a browser; the edge components only draw it.
 */

import type { ExchangeType, JsonTable } from '../../../document/types';
import { entryText, headerRows, headerValue, type Parsed } from '../../table-text';


/** A binding's label: the text shown, and whether it stands for "nothing" (drawn muted). */
export interface KeyLabel {
  text: string;
  muted: boolean;
}

/** Exchange types that never look at the routing key. */
function ignoresKey(type: ExchangeType | null): boolean {
  return type === 'fanout' || type === 'x-local-random';
}

/**
 * The label of a binding from an exchange of `type`: headers bindings show their arguments;
 * an empty key shows as `""` (it matches only the empty routing key), or "(no key)" where the
 * exchange ignores keys anyway.
 */
export function bindingLabel(routingKey: string, args: JsonTable, type: ExchangeType | null): KeyLabel {
  if (type === 'headers') return { text: headersSummary(args), muted: false };
  if (routingKey !== '') return { text: routingKey, muted: false };
  return { text: ignoresKey(type) ? '(no key)' : '""', muted: true };
}

/** A headers binding's arguments in a line: `all: format=pdf, type=report`. */
export function headersSummary(args: JsonTable): string {
  const xMatch = entryText(args, 'x-match') || 'all';
  const rows = headerRows(args);
  if (rows.length === 0) return `${xMatch}: (no headers)`;
  return `${xMatch}: ${rows.map((r) => `${r.key}=${r.value}`).join(', ')}`;
}

/** What a screen reader hears on a binding's label. */
export function bindingAriaLabel(label: KeyLabel, headers: boolean, from: string, to: string): string {
  const what = headers ? `Binding arguments ${label.text}` : label.text === '""' ? 'Binding key "" (empty)' : `Binding key ${label.text}`;
  return `${what} from ${exchangeName(from)} to ${to}, press Enter to edit`;
}

/** An exchange's name as people read it: the default exchange has none. */
export function exchangeName(name: string): string {
  return name === '' ? '(default)' : name;
}

/** A dead-letter edge's label: where dead letters go, and the key they are re-published with. */
export function deadLetterLabel(routingKey: unknown): string {
  return typeof routingKey === 'string' && routingKey !== '' ? `dead letters (key ${routingKey})` : 'dead letters';
}

/** One row of the headers editor, as the person typed it. */
export interface HeaderDraft {
  key: string;
  value: string;
}

/**
 * The arguments a headers editor's draft stands for. A row whose text did not change keeps its
 * typed value (a `{"$long": 5}` stays a long); empty rows are dropped; two rows of one name are
 * refused. x-match is written only when it says something ('all' is the default).
 */
export function headersArguments(original: JsonTable, xMatch: string, rows: readonly HeaderDraft[]): Parsed<JsonTable> {
  // Entries, not assignments: a header named "__proto__" stays a header.
  const entries: [string, unknown][] = [];
  if (xMatch !== 'all' || original['x-match'] !== undefined) entries.push(['x-match', xMatch]);
  const seen = new Set<string>();
  for (const row of rows) {
    const key = row.key.trim();
    if (key === '' && row.value.trim() === '') continue;
    if (key === '') return { ok: false, reason: `the value '${row.value}' needs a header name` };
    if (key === 'x-match') return { ok: false, reason: 'x-match is chosen above, not as a header' };
    if (seen.has(key)) return { ok: false, reason: `the header '${key}' is there twice` };
    seen.add(key);
    const unchanged = Object.hasOwn(original, key) && entryText(original, key) === row.value;
    entries.push([key, unchanged ? original[key] : headerValue(row.value)]);
  }
  return { ok: true, value: Object.fromEntries(entries) };
}
