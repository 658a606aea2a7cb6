import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  emptyFieldTable,
  fieldTableFromJSON,
  fieldValueFromJSON,
  fieldValuesEqual,
  toFieldTable,
  type FieldTable,
  type FieldValue,
} from '../../src/broker/field-table';
import {
  compileHeadersBinding,
  explainHeaders,
  matchCompiled,
  matchHeaders,
  validateHeadersBinding,
  xMatchOf,
} from '../../src/broker/headers';

const readJSON = (path: string): any => JSON.parse(readFileSync(path, 'utf8'));
const vectors = readJSON('/work/shared/semantics/vectors.json');
const here = (name: string): string => new URL(name, import.meta.url).pathname;

/** A FieldTable from a vector's typed list `[name, amqpType, value]` (type names as vectors.json uses them). */
function typedTable(list: [string, string, unknown][] | null): FieldTable | undefined {
  if (list === null) return undefined;
  const t = emptyFieldTable();
  for (const [name, type, value] of list) {
    const ours = type === 'signedint' ? 'int' : type;
    if (ours === 'void') t[name] = { type: 'void', value: null };
    else if (ours === 'longstr' || ours === 'bool') t[name] = { type: ours, value } as FieldValue;
    else t[name] = fieldValueFromJSON({ [`$${ours}`]: value });
  }
  return t;
}

/** The three ways to ask must agree with each other and with `expected`. */
function expectAllAgree(args: FieldTable, headers: FieldTable | undefined, expected: boolean, label: string): void {
  expect(matchHeaders(args, headers), `matchHeaders ${label}`).toBe(expected);
  expect(matchCompiled(compileHeadersBinding(args), headers), `matchCompiled ${label}`).toBe(expected);
  const ex = explainHeaders(args, headers);
  expect(ex.matched, `explainHeaders ${label}: ${ex.reason}`).toBe(expected);
  expect(ex.reason.startsWith(`x-match=${ex.xMatch}: `)).toBe(true);
}

describe('headers vectors (vectors.json)', () => {
  const list: any[] = vectors.headers;
  it('has the 75 vectors, all typed', () => {
    expect(list).toHaveLength(75);
    expect(list.every((v) => v.typed)).toBe(true);
  });
  it.each(list.map((v) => [v.id, v] as const))('%s', (_id, v) => {
    expectAllAgree(typedTable(v.typed.bindingArgs)!, typedTable(v.typed.headers), v.match, v.id);
  });
});

describe('headersBindingValidation vectors', () => {
  const list: any[] = vectors.headersBindingValidation;
  it('has the 8 vectors', () => expect(list).toHaveLength(8));
  it.each(list.map((v) => [JSON.stringify(v.bindingArgs), v] as const))('%s', (_k, v) => {
    const problem = validateHeadersBinding(toFieldTable(v.bindingArgs));
    expect(problem === null).toBe(v.accepted);
  });
  it('words refusals exactly as RabbitMQ 4.3.6', () => {
    expect(validateHeadersBinding(toFieldTable({ 'x-match': 23 }))).toBe('Invalid x-match field type byte (value 23); expected longstr');
    expect(validateHeadersBinding(toFieldTable({ 'x-match': "all or any I don't mind" }))).toBe(
      `Invalid x-match field value <<"all or any I don't mind">>; expected all, any, all-with-x, or any-with-x`,
    );
    expect(validateHeadersBinding(toFieldTable({ 'x-match': 'ALL' }))).toBe('Invalid x-match field value <<"ALL">>; expected all, any, all-with-x, or any-with-x');
    expect(validateHeadersBinding(toFieldTable({ 'x-match': null }))).toBe('Invalid x-match field type void (value undefined); expected longstr');
    expect(validateHeadersBinding(toFieldTable({ 'X-match': 'nonsense' }))).toBeNull();
    expect(validateHeadersBinding(toFieldTable({}))).toBeNull();
  });
});

// ------------------------------------------------------------ broker recordings ---

/** Extracts RabbitMQ's explanation from the oracle's error message (amqplib's wording around it). */
function explanationOf(message: string): string {
  const m = /with message "PRECONDITION_FAILED - (.*)"$/s.exec(message);
  if (!m) throw new Error(`not a 406 text: ${message}`);
  return m[1]!;
}

/** What the client sees of our text: RabbitMQ cuts the reply text to 255 bytes ("..." last); the oracle collapses whitespace. */
function asObserved(explanation: string): string {
  let full = `PRECONDITION_FAILED - ${explanation}`;
  const bytes = Buffer.from(full);
  if (bytes.length > 255) full = `${bytes.subarray(0, 252).toString()}...`;
  return full.replace(/\s+/g, ' ').slice('PRECONDITION_FAILED - '.length);
}

/**
 * Replays a recorded headers scenario: every successful headers binding is matched against
 * every publish's headers; a queue must hold exactly the bodies whose headers matched one of its
 * bindings. Refused bindings must be refused with the same text.
 */
function replay(file: string): { bindings: number; publishes: number; refusals: number } {
  const { scenario, observed, brokerLog } = readJSON(file);
  const ops: any[] = [...scenario.declare, ...scenario.steps];
  const results: any[] = [...observed.declarations, ...observed.steps];
  const headersExchanges = new Set(ops.filter((o) => o.op === 'exchange' && o.type === 'headers').map((o) => o.name));
  const bindings: { queue: string; args: FieldTable }[] = [];
  let refusals = 0;
  ops.forEach((op, i) => {
    if (op.op !== 'bindQueue' || !headersExchanges.has(op.exchange)) return;
    const args = fieldTableFromJSON(op.arguments ?? {});
    const result = results[i];
    const problem = validateHeadersBinding(args);
    if (result.ok) {
      expect(problem, `declare[${i}]`).toBeNull();
      bindings.push({ queue: op.queue, args });
    } else {
      refusals++;
      expect(result.error.code).toBe(406);
      expect(problem, `declare[${i}]`).not.toBeNull();
      expect(asObserved(problem!), `declare[${i}]`).toBe(explanationOf(result.error.message));
    }
  });
  for (const entry of brokerLog?.declarations ?? []) {
    expect(validateHeadersBinding(fieldTableFromJSON(ops[entry.i].arguments))).toBe(entry.text);
  }
  const publishes = ops.filter((o) => o.op === 'publish' && headersExchanges.has(o.exchange));
  const expected = new Map<string, Set<string>>();
  for (const [queue, r] of Object.entries<any>(observed.readout)) {
    expected.set(queue, new Set((r.messages ?? []).map((m: any) => (typeof m === 'string' ? m : m.body))));
  }
  for (const p of publishes) {
    const headers = p.properties?.headers === undefined ? undefined : fieldTableFromJSON(p.properties.headers);
    for (const [queue, bodies] of expected) {
      const mine = bindings.filter((b) => b.queue === queue);
      if (mine.length === 0) continue;
      const routed = mine.some((b) => matchHeaders(b.args, headers));
      expect(routed, `${p.body} -> ${queue}`).toBe(bodies.has(p.body));
      for (const b of mine) {
        expect(matchCompiled(compileHeadersBinding(b.args), headers)).toBe(matchHeaders(b.args, headers));
        expect(explainHeaders(b.args, headers).matched).toBe(matchHeaders(b.args, headers));
      }
    }
  }
  return { bindings: bindings.length, publishes: publishes.length, refusals };
}

describe('replays of a real RabbitMQ 4.3.6', () => {
  it('headers-exchange-basics (shared scenario)', () => {
    expect(replay('/work/shared/semantics/scenarios/headers-exchange-basics.json')).toEqual({ bindings: 10, publishes: 8, refusals: 2 });
  });
  it('headers-type-equality: arrays keep element types, timestamp headers x1000, float/double, -0.0, bytes/longstr, decimal, table order', () => {
    expect(replay(here('recorded/headers-type-equality.json'))).toEqual({ bindings: 32, publishes: 37, refusals: 0 });
  });
  it('headers-xmatch-validation: refusal texts for every field type', () => {
    expect(replay(here('recorded/headers-xmatch-validation.json'))).toEqual({ bindings: 6, publishes: 0, refusals: 42 });
  });
  it('headers-xmatch-validation-terms: ~tp line breaking, byte binaries, non-UTF-8', () => {
    expect(replay(here('recorded/headers-xmatch-validation-terms.json'))).toEqual({ bindings: 0, publishes: 0, refusals: 20 });
  });
  it('headers-xmatch-floats: Erlang float text', () => {
    expect(replay(here('recorded/headers-xmatch-floats.json'))).toEqual({ bindings: 0, publishes: 0, refusals: 1 });
  });
});

// ------------------------------------------------------------------ semantics ---

describe('matching rules', () => {
  const t = (json: Record<string, unknown>) => fieldTableFromJSON(json);
  it.each([
    ['timestamp binding = long header', { t: { $timestamp: 1000 } }, { t: { $long: 1000 } }, true],
    ['timestamp binding vs timestamp header (header x1000)', { t: { $timestamp: 1000 } }, { t: { $timestamp: 1000 } }, false],
    ['timestamp binding = 1000 x timestamp header', { t: { $timestamp: 1000000 } }, { t: { $timestamp: 1000 } }, true],
    ['long binding = 1000 x timestamp header', { t: 1000000 }, { t: { $timestamp: 1000 } }, true],
    ['timestamp 0 both', { t: { $timestamp: 0 } }, { t: { $timestamp: 0 } }, true],
    ['double binding vs timestamp header', { t: { $double: 1000000 } }, { t: { $timestamp: 1000 } }, false],
    ['big timestamp header', { t: { $long: '9007199254740993000' } }, { t: { $timestamp: 9007199254740993 } }, false],
    ['void binding, void header', { a: null }, { a: null }, true],
    ['value binding, void header', { a: 'x' }, { a: null }, false],
    ['X- prefix is case-sensitive', { 'X-up': 'u' }, { 'X-up': 'u' }, true],
    ['x- binding keys ignored under all', { 'x-a': 'b' }, {}, true],
    ['-with-x still skips x-match', { 'x-match': 'all-with-x' }, {}, true],
    ['any-with-x with only x-match', { 'x-match': 'any-with-x' }, { 'x-match': 'any-with-x' }, false],
    ['bytes x-match is not any: falls back to all', { 'x-match': { $bytes: 'YW55' }, a: 1, b: 2 }, { a: 1 }, false],
    ['unknown x-match routes as all', { 'x-match': 'ALL', a: 1 }, { a: 1 }, true],
  ])('%s', (_label, args, headers, want) => {
    expectAllAgree(t(args), t(headers), want, _label);
  });

  it('treats no headers table like an empty one', () => {
    for (const args of [{}, { 'x-match': 'any', a: null }, { a: null }, { 'x-match': 'all-with-x', 'x-a': 1 }]) {
      const a = t(args);
      expect(matchHeaders(a, undefined)).toBe(matchHeaders(a, emptyFieldTable()));
    }
  });

  it('never reads inherited properties of a plain-object headers table', () => {
    const headers = { a: { type: 'longstr', value: 'x' } } as FieldTable;
    expectAllAgree(t({ 'x-match': 'any', constructor: null, toString: null }), headers, false, 'inherited');
    expectAllAgree(t({ constructor: null }), headers, false, 'inherited all');
  });
});

describe('compileHeadersBinding', () => {
  it('keeps only the keys that take part, in order, void as a presence test', () => {
    const c = compileHeadersBinding(fieldTableFromJSON({ b: 1, 'x-match': 'any', 'x-a': 'z', a: null }));
    expect(c.xMatch).toBe('any');
    expect(c.any).toBe(true);
    expect(c.conditions).toEqual([
      { key: 'b', value: { type: 'byte', value: 1 } },
      { key: 'a', value: null },
    ]);
    const w = compileHeadersBinding(fieldTableFromJSON({ 'x-match': 'all-with-x', 'x-a': 'z' }));
    expect(w.conditions.map((x) => x.key)).toEqual(['x-a']);
    expect(xMatchOf(fieldTableFromJSON({}))).toBe('all');
  });
});

describe('explainHeaders', () => {
  const t = (json: Record<string, unknown>) => fieldTableFromJSON(json);
  it('says why, in the words of the brief', () => {
    expect(explainHeaders(t({ region: 'eu' }), t({ region: 'us' })).reason).toBe('x-match=all: "region" is "us", binding wants "eu"');
    expect(explainHeaders(t({ 'x-match': 'any', format: 'pdf', type: 'report' }), t({ format: 'pdf' })).reason).toBe('x-match=any: "format" matched');
  });

  it('gives every binding argument a row', () => {
    const ex = explainHeaders(t({ 'x-match': 'all', a: 'A', b: null, c: 1, d: 'D', 'x-e': 1 }), t({ a: 'A', b: 5, c: { $double: 1 } }));
    expect(ex.xMatch).toBe('all');
    expect(ex.matched).toBe(false);
    expect(ex.rows.map((r) => [r.key, r.verdict])).toEqual([
      ['x-match', 'ignored'],
      ['a', 'match'],
      ['b', 'present'],
      ['c', 'mismatch'],
      ['d', 'missing'],
      ['x-e', 'ignored'],
    ]);
    expect(ex.rows[3]!.header).toEqual({ type: 'double', value: 1 });
    expect(ex.rows[3]!.reason).toBe('"c" is 1.0 (double), binding wants 1: a floating-point number never equals an integer');
    expect(ex.rows[4]!.reason).toBe('"d" is missing (binding wants "D")');
    expect(ex.reason).toBe('x-match=all: "c" is 1.0 (double), binding wants 1: a floating-point number never equals an integer');
  });

  it('explains the type quirks', () => {
    expect(explainHeaders(t({ t: { $timestamp: 1000 } }), t({ t: { $timestamp: 1000 } })).reason).toBe(
      'x-match=all: "t" is 1000 (timestamp), binding wants 1000 (timestamp): RabbitMQ compares a timestamp header as its value x 1000 (1000000)',
    );
    expect(explainHeaders(t({ v: [1] }), t({ v: [{ $long: 1 }] })).reason).toBe(
      'x-match=all: "v" is [1 (long)], binding wants [1]: inside arrays and tables each element\'s type must match too (byte 1 is not long 1)',
    );
    expect(explainHeaders(t({ n: '1' }), t({ n: 1 })).reason).toBe('x-match=all: "n" is 1, binding wants "1": an integer never equals a string');
    expect(explainHeaders(t({ f: 0.1 }), t({ f: { $float: 0.1 } })).reason).toBe(
      'x-match=all: "f" is 0.10000000149011612 (float), binding wants 0.1: a float counts as its exact 32-bit value',
    );
    expect(explainHeaders(t({ 'x-match': 'any' }), t({ a: 1 })).reason).toBe('x-match=any: no headers to compare, so no message matches');
    expect(explainHeaders(t({ 'x-foo': 1 }), undefined).reason).toBe(
      'x-match=all: no headers to compare, so every message matches (x- keys count only with all-with-x)',
    );
    expect(explainHeaders(t({ 'x-match': 'any', a: 1, b: 2 }), undefined).reason).toBe('x-match=any: the message has no headers');
    expect(explainHeaders(t({ 'x-match': 'any', a: 1, b: 2 }), t({ a: 2 })).reason).toBe('x-match=any: none of "a", "b" matched');
    expect(explainHeaders(t({ a: null, b: 1 }), t({ a: 'x', b: 1 })).reason).toBe('x-match=all: all 2 headers matched');
  });
});

// ------------------------------------------------------------------ properties ---

/** A small value domain, so random bindings and headers often collide (equal, or equal but for the type). */
const smallValue: fc.Arbitrary<FieldValue> = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.constantFrom(...[0, 1, 1000].flatMap((n) => ['byte', 'short', 'int', 'long', 'unsignedint', 'timestamp'].map((type) => ({ type, value: n }) as FieldValue))),
    fc.constantFrom<FieldValue>(
      { type: 'double', value: 1 },
      { type: 'double', value: 0 },
      { type: 'double', value: -0 },
      { type: 'double', value: 1.5 },
      { type: 'float', value: 1.5 },
      { type: 'float', value: Math.fround(0.1) },
      { type: 'double', value: 0.1 },
      { type: 'double', value: 1000000 },
      { type: 'longstr', value: '1' },
      { type: 'longstr', value: 'a' },
      { type: 'longstr', value: 'all' },
      { type: 'longstr', value: 'any' },
      { type: 'longstr', value: 'any-with-x' },
      { type: 'bytes', value: Uint8Array.from([0x31]) },
      { type: 'bool', value: true },
      { type: 'bool', value: false },
      { type: 'void', value: null },
      { type: 'decimal', value: { places: 1, digits: 15 } },
    ),
    fc.array(tie('value'), { maxLength: 2 }).map((value) => ({ type: 'array', value }) as FieldValue),
    fc
      .array(fc.tuple(fc.constantFrom('a', 'b'), tie('value')), { maxLength: 2 })
      .map((entries) => {
        const value = emptyFieldTable();
        for (const [k, v] of entries) value[k] = v as FieldValue;
        return { type: 'table', value } as FieldValue;
      }),
  ),
})).value as fc.Arbitrary<FieldValue>;

const keys = ['a', 'b', 'c', 'x-a', 'X-b', 'x-match', '__proto__', 'constructor'];

const xMatchValue: fc.Arbitrary<FieldValue | undefined> = fc.oneof(
  fc.constant(undefined),
  fc.constantFrom('all', 'any', 'all-with-x', 'any-with-x', 'ALL', '').map((value): FieldValue => ({ type: 'longstr', value })),
  smallValue,
);

const bindingArb = fc
  .tuple(xMatchValue, fc.array(fc.tuple(fc.constantFrom(...keys.filter((k) => k !== 'x-match')), smallValue), { maxLength: 5 }))
  .map(([xm, entries]) => {
    const t = emptyFieldTable();
    for (const [k, v] of entries) t[k] = v;
    if (xm) t['x-match'] = xm;
    return t;
  });

/** Headers: some binding keys with the binding's value or another, plus random keys; sometimes no table. */
const caseArb = bindingArb.chain((binding) =>
  fc
    .tuple(
      fc.boolean(),
      fc.array(fc.tuple(fc.constantFrom(...keys), fc.oneof(smallValue, fc.constant<FieldValue | 'same'>('same'))), { maxLength: 6 }),
    )
    .map(([none, entries]) => {
      if (none) return { binding, headers: undefined };
      const headers = emptyFieldTable();
      for (const [k, v] of entries) {
        const same = binding[k];
        if (v === 'same') {
          if (same) headers[k] = same;
        } else headers[k] = v;
      }
      return { binding, headers };
    }),
);

/** Reference model: rabbit_exchange_type_headers:route/3 + mc_amqpl:routing_headers/2, written from the Erlang. */
function referenceMatch(args: FieldTable, headers: FieldTable | undefined): boolean {
  const m = new Map<string, FieldValue>();
  for (const [k, v] of Object.entries(headers ?? {})) {
    m.set(k, v.type === 'timestamp' ? { type: 'long', value: BigInt(v.value) * 1000n } : v);
  }
  const xm = Object.hasOwn(args, 'x-match') ? args['x-match'] : undefined;
  const rule = xm?.type === 'longstr' ? xm.value : '';
  const matchX = (k: string, v: FieldValue): boolean | 'skip' =>
    k === 'x-match' ? 'skip' : v.type === 'void' ? m.has(k) : m.has(k) && fieldValuesEqual(m.get(k)!, v);
  const match = (k: string, v: FieldValue): boolean | 'skip' => (k.startsWith('x-') ? 'skip' : matchX(k, v));
  const entries = Object.keys(args).map((k) => [k, args[k]!] as const);
  if (rule === 'any') return entries.some(([k, v]) => match(k, v) === true);
  if (rule === 'any-with-x') return entries.some(([k, v]) => matchX(k, v) === true);
  if (rule === 'all-with-x') return entries.every(([k, v]) => matchX(k, v) !== false);
  return entries.every(([k, v]) => match(k, v) !== false);
}

describe('properties', () => {
  it('explainHeaders agrees with matchHeaders and matchCompiled; all agree with the Erlang reference model', () => {
    let matched = 0;
    fc.assert(
      fc.property(caseArb, ({ binding, headers }) => {
        const want = referenceMatch(binding, headers);
        if (want) matched++;
        expect(matchHeaders(binding, headers)).toBe(want);
        expect(matchCompiled(compileHeadersBinding(binding), headers)).toBe(want);
        const ex = explainHeaders(binding, headers);
        expect(ex.matched).toBe(want);
        expect(ex.rows.map((r) => r.key)).toEqual(Object.keys(binding));
      }),
      { seed: 4360306, numRuns: 3000 },
    );
    expect(matched).toBeGreaterThan(300); // the generator hits both outcomes
  });

  it('validation accepts exactly the four longstr x-match values (or none)', () => {
    fc.assert(
      fc.property(bindingArb, (binding) => {
        const xm = binding['x-match'];
        const ok = xm === undefined || (xm.type === 'longstr' && ['all', 'any', 'all-with-x', 'any-with-x'].includes(xm.value));
        expect(validateHeadersBinding(binding) === null).toBe(ok);
      }),
      { seed: 4360306, numRuns: 1000 },
    );
  });
});
