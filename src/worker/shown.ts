/**
 * The core's typed values made plain for the UI: field tables (null-prototype objects holding
 * bigints and bytes) become rows of text with their AMQP type, route traces become `ShownRoute`s.
 * The text is the core's own (`formatFieldValue`), so the UI never formats an AMQP value itself.
 */

import { explainHeaders, validateHeadersBinding, type BindingVerdict, type FieldTable, type RouteTrace } from '../broker/index';
import { formatFieldValue, type FieldValue } from '../broker/field-table';
import type { HeadersExplanation } from '../broker/headers';
import type { MessageProperties } from '../broker/message';
import type { ExplainedValue, HeadersExplainResult, ShownField, ShownRoute, ShownVerdict } from './protocol';

export function explainedValue(value: FieldValue): ExplainedValue {
  return { text: formatFieldValue(value), type: value.type };
}

export function shownTable(table: FieldTable | undefined): ShownField[] {
  if (!table) return [];
  return Object.keys(table).map((name) => ({ name, ...explainedValue(table[name]!) }));
}

/** `x-match=all, region="eu"`: a binding's arguments on one line. */
export function argumentsText(table: FieldTable): string {
  return shownTable(table)
    .map((f) => `${f.name}=${f.text}`)
    .join(', ');
}

function plainHeadersRows(explained: HeadersExplanation): HeadersExplainResult['rows'] {
  return explained.rows.map((row) => ({
    key: row.key,
    verdict: row.verdict,
    reason: row.reason,
    binding: explainedValue(row.binding),
    ...(row.header === undefined ? {} : { header: explainedValue(row.header) }),
  }));
}

/** The core's headers explanation with its values as text. */
export function explainHeadersPlainly(bindingArguments: FieldTable, headers: FieldTable): HeadersExplainResult {
  const explained = explainHeaders(bindingArguments, headers);
  return {
    kind: 'headers',
    xMatch: explained.xMatch,
    matched: explained.matched,
    reason: explained.reason,
    valid: validateHeadersBinding(bindingArguments),
    rows: plainHeadersRows(explained),
  };
}

export function shownVerdict(v: BindingVerdict): ShownVerdict {
  return {
    destinationKind: v.destinationKind,
    destination: v.destination,
    bindingKey: v.bindingKey,
    argumentsText: argumentsText(v.arguments),
    routingKey: v.routingKey,
    matched: v.matched,
    reason: v.reason,
    ...(v.topic ? { topic: v.topic } : {}),
    ...(v.headers ? { headers: { xMatch: v.headers.xMatch, rows: plainHeadersRows(v.headers) } } : {}),
  };
}

export function shownRoute(trace: RouteTrace): ShownRoute {
  return {
    exchange: trace.exchange,
    routingKey: trace.routingKey,
    cc: [...trace.cc],
    bcc: [...trace.bcc],
    mandatory: trace.mandatory,
    outcome: trace.outcome,
    ...(trace.directReplies ? { directReplies: trace.directReplies } : {}),
    queues: trace.queues.map((q) => ({ ...q })),
    visits: trace.visits.map((visit) => ({
      exchange: visit.exchange,
      type: visit.type,
      via: { ...visit.via },
      bindings: visit.bindings.map(shownVerdict),
      ...(visit.alternate ? { alternate: { ...visit.alternate } } : {}),
    })),
  };
}

const PROPERTY_TYPES: Record<string, string> = {
  deliveryMode: 'octet',
  priority: 'octet',
  timestamp: 'timestamp',
};

/** A message's basic properties (not its headers) as rows, in AMQP's order. */
export function shownProperties(properties: MessageProperties): ShownField[] {
  const rows: ShownField[] = [];
  for (const [name, value] of Object.entries(properties)) {
    if (name === 'headers' || value === undefined) continue;
    const text = name === 'deliveryMode' ? `${value} (${value === 2 ? 'persistent' : 'transient'})` : typeof value === 'string' ? JSON.stringify(value) : String(value);
    rows.push({ name, text, type: PROPERTY_TYPES[name] ?? 'shortstr' });
  }
  return rows;
}
