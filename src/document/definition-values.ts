/**
 * Values of the document's JSON form (plain JSON, or `{"$long": 5}` where a type must be forced)
 * as RabbitMQ's JSON holds them: in definitions, in the management API's bodies, in a
 * `rabbitmqadmin arguments=` flag. What JSON cannot carry is left out with a note; where
 * RabbitMQ will read a value as another type, the note says so. Cost: linear in the value.
 */

import type { JsonTable } from './types';

export const HOSTILE_KEYS = new Set(['__proto__', 'constructor', 'prototype']);
const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
export const quote = (s: string) => `'${s.length > 60 ? `${s.slice(0, 60)}…` : s}'`;
export const show = (v: unknown) => (typeof v === 'string' ? quote(v) : (JSON.stringify(v) ?? String(v)).slice(0, 80));

/** True when amqplib would infer a long for this integer (so plain JSON already means long). */
export const inferredLong = (n: number) => n < -0x80000000 || n >= 0x80000000;

type Exported = { ok: true; value: unknown } | { ok: false; reason: string };

/** Base64 text as UTF-8, when the bytes are valid UTF-8. */
function base64Utf8(text: string): string | null {
  try {
    const binary = atob(text);
    const bytes = Uint8Array.from(binary, (c) => c.charCodeAt(0));
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return null;
  }
}

/** An integer written in the JSON form (a number, or a decimal string for big ones) as a safe number. */
function integerOf(v: unknown): number | null {
  const n = typeof v === 'string' && /^-?\d+$/.test(v) ? Number(v) : v;
  return typeof n === 'number' && Number.isSafeInteger(n) ? n : null;
}

/**
 * A value of the document's JSON form as definitions hold it, or why it cannot be written.
 * `changes` collects how RabbitMQ will read it differently (only where that matters).
 */
function toDefinitionValue(v: unknown, nested: boolean, changes: Set<string>): Exported {
  if (v === null) return { ok: false, reason: 'RabbitMQ refuses null (void) values in definitions' };
  if (typeof v === 'string' || typeof v === 'boolean') return { ok: true, value: v };
  if (typeof v === 'number') {
    if (!Number.isFinite(v)) return { ok: false, reason: 'JSON cannot write it' };
    if (nested && Number.isInteger(v) && !inferredLong(v)) changes.add('its integers become longs (definitions have no other integer type)');
    return { ok: true, value: v };
  }
  if (Array.isArray(v)) {
    const out: unknown[] = [];
    for (const item of v) {
      const c = toDefinitionValue(item, true, changes);
      if (!c.ok) return c;
      out.push(c.value);
    }
    return { ok: true, value: out };
  }
  if (typeof v !== 'object') return { ok: false, reason: 'JSON cannot write it' };
  const o = v as Record<string, unknown>;
  const keys = Object.keys(o);
  if (keys.length === 1 && keys[0]!.startsWith('$')) return typedToDefinition(keys[0]!.slice(1), o[keys[0]!], nested, changes);
  return tableToDefinition(o, changes);
}

/** A nested table's entries (its keys taken as they are, even one starting with `$`). */
function tableToDefinition(o: Record<string, unknown>, changes: Set<string>): Exported {
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(o)) {
    if (HOSTILE_KEYS.has(key)) continue;
    const c = toDefinitionValue(o[key], true, changes);
    if (!c.ok) return c;
    out[key] = c.value;
  }
  return { ok: true, value: out };
}

/** `{"$TYPE": v}` of the JSON form as a definitions value. */
function typedToDefinition(type: string, v: unknown, nested: boolean, changes: Set<string>): Exported {
  switch (type) {
    case 'table':
      return isObject(v) ? tableToDefinition(v, changes) : { ok: false, reason: 'its $table is not a table' };
    case 'byte':
    case 'unsignedbyte':
    case 'short':
    case 'unsignedshort':
    case 'int':
    case 'signedint':
    case 'unsignedint':
    case 'long':
    case 'unsignedlong':
    case 'timestamp': {
      const n = integerOf(v);
      if (n === null) return { ok: false, reason: `its ${type} ${show(v)} cannot be written exactly in JSON` };
      if (nested && type !== 'long') changes.add(`its ${type} values become longs (definitions have no other integer type)`);
      return { ok: true, value: n };
    }
    case 'double':
    case 'float': {
      const n = typeof v === 'string' ? Number(v) : v;
      if (typeof n !== 'number' || !Number.isFinite(n) || Object.is(n, -0)) return { ok: false, reason: `its ${type} ${show(v)} cannot be written in JSON` };
      if (Number.isInteger(n)) changes.add(`the ${type} ${n} becomes an integer: JSON from JavaScript writes it without a decimal point`);
      else if (nested && type === 'float') changes.add('its floats become doubles');
      return { ok: true, value: type === 'float' ? Math.fround(n) : n };
    }
    case 'bytes': {
      const text = typeof v === 'string' ? base64Utf8(v) : null;
      if (text === null) return { ok: false, reason: 'its bytes are not UTF-8 text, and definitions hold only text' };
      if (nested) changes.add('its bytes become a string');
      return { ok: true, value: text };
    }
    case 'decimal':
      return { ok: false, reason: 'definitions cannot hold a decimal' };
    case 'void':
      return { ok: false, reason: 'RabbitMQ refuses null (void) values in definitions' };
    default:
      return { ok: false, reason: `'$${type}' is not a field type` };
  }
}

/** A document arguments table as definitions arguments; what cannot be written is left out with a note. */
export function exportTable(args: JsonTable, who: string, notes: string[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(args)) {
    if (HOSTILE_KEYS.has(key)) {
      notes.push(`Left out the argument named ${key} of ${who}.`);
      continue;
    }
    const changes = new Set<string>();
    const c = toDefinitionValue(args[key], false, changes);
    if (!c.ok) {
      notes.push(`Left out the argument ${quote(key)} of ${who}: ${c.reason}.`);
      continue;
    }
    for (const change of changes) notes.push(`The argument ${quote(key)} of ${who} changes type in RabbitMQ: ${change}.`);
    out[key] = c.value;
  }
  return out;
}

