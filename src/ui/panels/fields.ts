/**
 * Small pure helpers of the inspector: reading form text as the document's values (numbers,
 * optional arguments, CC lists) and writing argument tables without mutating them.
 */

import type { Diagram, JsonTable } from '../../document/types';
import type { Parsed } from '../table-text';

// The table helpers the canvas uses too, apart so the page's first script does not carry the rest.
export * from '../table-text';

/** What the inspector has selected on the canvas. */
export type Selection =
  | { kind: 'node'; id: string }
  | { kind: 'binding'; id: string }
  | { kind: 'link'; from: string; to: string }
  | { kind: 'many'; count: number };

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
