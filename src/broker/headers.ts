/**
 * The headers exchange: binding validation, matching and explanations, as RabbitMQ 4.3.6 does it
 * (rabbit_exchange_type_headers.erl, with the message's headers as mc_amqpl:routing_headers/2
 * gives them).
 *
 * Rules:
 * - `x-match` is `all` (the default when absent), `any`, `all-with-x` or `any-with-x`; anything
 *   else is refused at bind time (406, see validateHeadersBinding).
 * - Binding keys starting with `x-` are skipped unless x-match ends in `-with-x`; `x-match` itself
 *   is always skipped. Header names are case-sensitive (`X-foo` is an ordinary key).
 * - A binding value of type void only asks for the header to be present (any value, void too).
 * - Other values must equal the header's value (fieldValuesEqual: Erlang `=:=`, so integer widths
 *   match each other but 1 != 1.0 and "1" != 1). One quirk of 4.3.6: a header of type timestamp
 *   is multiplied by 1000 before comparing (binding values are not), so a timestamp binding of
 *   1000 matches a long header 1000 and a timestamp header 1, but not a timestamp header 1000.
 * - `all` with nothing to compare matches every message (even one without headers); `any` with
 *   nothing to compare matches none. A message without a headers table is like an empty one.
 * The routing key plays no part.
 */

import {
  erlangTermOf,
  erlangTypeName,
  fieldTableGet,
  fieldValuesEqual,
  formatErlangTerm,
  formatFieldValue,
  integersEqual,
  isIntegerType,
  type FieldTable,
  type FieldValue,
} from './field-table';

/** The matching rule a binding's `x-match` argument selects. */
export type XMatch = 'all' | 'any' | 'all-with-x' | 'any-with-x';

const X_MATCH_VALUES: readonly string[] = ['all', 'any', 'all-with-x', 'any-with-x'];

/**
 * null when RabbitMQ accepts these binding arguments for a headers exchange, else the 406 text
 * without the 'PRECONDITION_FAILED - ' prefix, worded as RabbitMQ 4.3.6 words it
 * (rabbit_exchange_type_headers:validate_binding/2), the value printed as Erlang's `~tp` does:
 * `Invalid x-match field value <<"ALL">>; expected all, any, all-with-x, or any-with-x` or
 * `Invalid x-match field type byte (value 1); expected longstr`. Long arrays/tables break over
 * lines as `~tp` breaks them. RabbitMQ then cuts the whole reply text (prefix included) to 255
 * bytes, the last three being `...`; that cut is not done here.
 */
export function validateHeadersBinding(args: FieldTable): string | null {
  const xm = fieldTableGet(args, 'x-match');
  if (xm === undefined) return null;
  if (xm.type === 'longstr') {
    if (X_MATCH_VALUES.includes(xm.value)) return null;
    const prefix = 'Invalid x-match field value ';
    return `${prefix}${formatErlangTerm(erlangTermOf(xm), prefix.length + 1)}; expected all, any, all-with-x, or any-with-x`;
  }
  const prefix = `Invalid x-match field type ${erlangTypeName(xm.type)} (value `;
  return `${prefix}${formatErlangTerm(erlangTermOf(xm), prefix.length + 1)}); expected longstr`;
}

/** The rule RabbitMQ routes with: a longstr x-match it knows, else `all` (what route/3 falls back to). */
export function xMatchOf(args: FieldTable): XMatch {
  const xm = fieldTableGet(args, 'x-match');
  if (xm !== undefined && xm.type === 'longstr' && X_MATCH_VALUES.includes(xm.value)) return xm.value as XMatch;
  return 'all';
}

/** Does this binding key take part under this x-match rule? (`x-match` never; other `x-` keys only with -with-x.) */
function keyCounts(key: string, withX: boolean): boolean {
  return withX ? key !== 'x-match' : !key.startsWith('x-');
}

/**
 * Does a header value satisfy a (non-void) binding value? fieldValuesEqual, except that a
 * timestamp header counts as its value x 1000 (mc_amqpl:routing_value/2 in 4.3.6).
 */
export function headerValueMatches(binding: FieldValue, header: FieldValue): boolean {
  if (header.type !== 'timestamp') return fieldValuesEqual(binding, header);
  const want = binding.type === 'timestamp' || isIntegerType(binding.type) ? (binding.value as number | bigint) : undefined;
  if (want === undefined) return false;
  const scaled = header.value * 1000;
  return integersEqual(want, Number.isSafeInteger(scaled) ? scaled : BigInt(header.value) * 1000n);
}

/** Does a message with `headers` (undefined = no headers table) match a binding with `bindingArgs`? */
export function matchHeaders(bindingArgs: FieldTable, headers: FieldTable | undefined): boolean {
  const rule = xMatchOf(bindingArgs);
  const any = rule === 'any' || rule === 'any-with-x';
  const withX = rule === 'all-with-x' || rule === 'any-with-x';
  for (const key in bindingArgs) {
    if (!Object.prototype.hasOwnProperty.call(bindingArgs, key) || !keyCounts(key, withX)) continue;
    const want = bindingArgs[key]!;
    const got = fieldTableGet(headers, key);
    const ok = got !== undefined && (want.type === 'void' || headerValueMatches(want, got));
    if (any && ok) return true;
    if (!any && !ok) return false;
  }
  return !any;
}

/** One condition of a compiled binding. */
export interface HeadersCondition {
  readonly key: string;
  /** The binding's value; null for a void value (presence test). */
  readonly value: FieldValue | null;
}

/**
 * Parsed binding for the router's hot path: precompute once at bind time. Holds the rule and
 * only the keys that take part under it, in binding-argument order.
 */
export interface CompiledHeadersBinding {
  readonly xMatch: XMatch;
  /** true for any / any-with-x. */
  readonly any: boolean;
  readonly conditions: readonly HeadersCondition[];
}

/** Compiles binding arguments once (see CompiledHeadersBinding); matchCompiled then allocates nothing. */
export function compileHeadersBinding(bindingArgs: FieldTable): CompiledHeadersBinding {
  const xMatch = xMatchOf(bindingArgs);
  const withX = xMatch === 'all-with-x' || xMatch === 'any-with-x';
  const conditions: HeadersCondition[] = [];
  for (const key of Object.keys(bindingArgs)) {
    if (!keyCounts(key, withX)) continue;
    const v = bindingArgs[key]!;
    conditions.push({ key, value: v.type === 'void' ? null : v });
  }
  return { xMatch, any: xMatch === 'any' || xMatch === 'any-with-x', conditions };
}

/** matchHeaders for a compiled binding: same answer, no parsing per message. */
export function matchCompiled(b: CompiledHeadersBinding, headers: FieldTable | undefined): boolean {
  const conds = b.conditions;
  if (b.any) {
    if (headers === undefined) return false;
    for (let i = 0; i < conds.length; i++) {
      const c = conds[i]!;
      const got = fieldTableGet(headers, c.key);
      if (got !== undefined && (c.value === null || headerValueMatches(c.value, got))) return true;
    }
    return false;
  }
  for (let i = 0; i < conds.length; i++) {
    const c = conds[i]!;
    const got = fieldTableGet(headers, c.key);
    if (got === undefined || (c.value !== null && !headerValueMatches(c.value, got))) return false;
  }
  return true;
}

/** One binding argument's fate: compared and equal / different / absent from the headers, present (void: presence test), or not compared. */
export type HeadersVerdict = 'match' | 'mismatch' | 'missing' | 'present' | 'ignored';

/** Why a message matched a headers binding or not, for traces and the UI (same rules as matchHeaders). */
export interface HeadersExplanation {
  xMatch: XMatch;
  matched: boolean;
  rows: { key: string; verdict: HeadersVerdict; binding: FieldValue; header?: FieldValue; reason: string }[];
  /** One short sentence combining the rows under the x-match rule, e.g. `x-match=all: "region" is "us", binding wants "eu"` or `x-match=any: "format" matched`. */
  reason: string;
}

type Row = HeadersExplanation['rows'][number];

/** A word for the kind of value, for reasons like `a string never equals a number`. */
function kindOf(v: FieldValue): string {
  if (isIntegerType(v.type)) return 'an integer';
  switch (v.type) {
    case 'longstr':
    case 'bytes':
      return 'a string';
    case 'float':
    case 'double':
      return 'a floating-point number';
    case 'timestamp':
      return 'a timestamp';
    case 'decimal':
      return 'a decimal';
    case 'bool':
      return 'a boolean';
    case 'void':
      return 'void';
    case 'array':
      return 'an array';
    case 'table':
      return 'a table';
  }
}

/** Why a present header does not satisfy the binding value: the values, then the type rule at play. */
function mismatchReason(key: string, want: FieldValue, got: FieldValue): string {
  const base = `${JSON.stringify(key)} is ${formatFieldValue(got)}, binding wants ${formatFieldValue(want)}`;
  if (got.type === 'timestamp') {
    return `${base}: RabbitMQ compares a timestamp header as its value x 1000 (${String(BigInt(got.value) * 1000n)})`;
  }
  const ka = kindOf(want);
  const kb = kindOf(got);
  if (ka !== kb && !(want.type === 'timestamp' && isIntegerType(got.type))) return `${base}: ${kb} never equals ${ka}`;
  if ((want.type === 'float') !== (got.type === 'float') && (want.type === 'float' || got.type === 'float')) {
    return `${base}: a float counts as its exact 32-bit value`;
  }
  if ((want.type === 'double' || want.type === 'float') && (got.type === 'double' || got.type === 'float') && want.value === 0 && got.value === 0) {
    return `${base}: -0.0 and 0.0 are different values to RabbitMQ`;
  }
  if ((want.type === 'array' && got.type === 'array') || (want.type === 'table' && got.type === 'table')) {
    return `${base}: inside arrays and tables each element's type must match too (byte 1 is not long 1)`;
  }
  return base;
}

/**
 * Every binding argument with its verdict under the binding's x-match rule, the overall result
 * (always equal to matchHeaders) and one sentence saying why.
 */
export function explainHeaders(bindingArgs: FieldTable, headers: FieldTable | undefined): HeadersExplanation {
  const xMatch = xMatchOf(bindingArgs);
  const any = xMatch === 'any' || xMatch === 'any-with-x';
  const withX = xMatch === 'all-with-x' || xMatch === 'any-with-x';
  const rows: Row[] = [];
  for (const key of Object.keys(bindingArgs)) {
    const binding = bindingArgs[key]!;
    const header = fieldTableGet(headers, key);
    const row = (verdict: HeadersVerdict, reason: string): Row =>
      header === undefined ? { key, verdict, binding, reason } : { key, verdict, binding, header, reason };
    if (key === 'x-match') {
      rows.push(row('ignored', `x-match sets the rule (${xMatch}); it is not compared`));
    } else if (!keyCounts(key, withX)) {
      rows.push(row('ignored', `${JSON.stringify(key)} starts with x-, so it is not compared unless x-match is all-with-x or any-with-x`));
    } else if (header === undefined) {
      const wants = binding.type === 'void' ? 'binding wants it present' : `binding wants ${formatFieldValue(binding)}`;
      rows.push(row('missing', `${JSON.stringify(key)} is missing (${headers === undefined ? 'the message has no headers' : wants})`));
    } else if (binding.type === 'void') {
      rows.push(row('present', `${JSON.stringify(key)} is present (binding value void: any value will do)`));
    } else if (headerValueMatches(binding, header)) {
      rows.push(row('match', `${JSON.stringify(key)} is ${formatFieldValue(header)}, as the binding wants`));
    } else {
      rows.push(row('mismatch', mismatchReason(key, binding, header)));
    }
  }

  const compared = rows.filter((r) => r.verdict !== 'ignored');
  const ok = (r: Row): boolean => r.verdict === 'match' || r.verdict === 'present';
  const skippedX = rows.some((r) => r.verdict === 'ignored' && r.key !== 'x-match');
  const label = `x-match=${xMatch}`;
  let matched: boolean;
  let reason: string;
  if (any) {
    const hit = compared.find(ok);
    matched = hit !== undefined;
    if (hit) reason = `${label}: ${JSON.stringify(hit.key)} ${hit.verdict === 'present' ? 'is present' : 'matched'}`;
    else if (compared.length === 0) {
      reason = `${label}: no headers to compare, so no message matches${skippedX ? ' (x- keys count only with any-with-x)' : ''}`;
    } else if (compared.length === 1) reason = `${label}: ${compared[0]!.reason}`;
    else if (headers === undefined) reason = `${label}: the message has no headers`;
    else reason = `${label}: none of ${compared.map((r) => JSON.stringify(r.key)).join(', ')} matched`;
  } else {
    const miss = compared.find((r) => !ok(r));
    matched = miss === undefined;
    if (miss) reason = `${label}: ${miss.reason}`;
    else if (compared.length === 0) {
      reason = `${label}: no headers to compare, so every message matches${skippedX ? ' (x- keys count only with all-with-x)' : ''}`;
    } else if (compared.length === 1) {
      reason = `${label}: ${JSON.stringify(compared[0]!.key)} ${compared[0]!.verdict === 'present' ? 'is present' : 'matched'}`;
    } else reason = `${label}: all ${compared.length} headers matched`;
  }
  return { xMatch, matched, rows, reason };
}
