import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  Bytes,
  base64Decode,
  base64Encode,
  bytesFrom,
  emptyFieldTable,
  erlangFloatText,
  erlangTermOf,
  fieldTableFromJSON,
  fieldTableGet,
  fieldTableToJSON,
  fieldTableToObservedJSON,
  fieldValueFromJSON,
  fieldValueToJSON,
  fieldValuesEqual,
  formatErlangTerm,
  formatFieldValue,
  fromFieldTable,
  fromFieldValue,
  toFieldTable,
  toFieldValue,
  type FieldTable,
  type FieldValue,
} from '../../src/broker/field-table';

// amqplib's own codec: the reference for what a client puts on the wire and hands to consumers.
// (amqplib's package exports hide lib/, so it is loaded by path.)
const codec = createRequire(import.meta.url)(fileURLToPath(new URL('../../node_modules/amqplib/lib/codec.js', import.meta.url))) as {
  encodeTable(buf: Buffer, val: unknown, offset: number): number;
  decodeFields(slice: Buffer): Record<string, unknown>;
};

/** amqplib's encoding of `x` (a headers/arguments object), without the 4-byte table length. */
function amqplibEncode(x: unknown): Buffer {
  const buf = Buffer.alloc(65536);
  const n = codec.encodeTable(buf, x, 0);
  return buf.subarray(4, n);
}

/** Both encoders agree: the same wire types, or the same error (class and message). */
function expectSameEncoding(x: unknown): void {
  let expected: FieldTable | Error;
  try {
    expected = wireTable(amqplibEncode(x));
  } catch (e) {
    expected = e as Error;
  }
  if (expected instanceof Error) {
    const err = expected;
    expect(() => toFieldTable(x)).toThrow(err.message);
    try {
      toFieldTable(x);
    } catch (e) {
      expect((e as Error).constructor.name).toBe(err.constructor.name);
    }
  } else {
    expect(toFieldTable(x)).toEqual(expected);
  }
}

function encodable(x: unknown): boolean {
  try {
    amqplibEncode(x);
    return true;
  } catch {
    return false;
  }
}

/** Reads amqplib's wire bytes into FieldValues, tag by tag (the wire types amqplib chose). */
function wireTable(b: Buffer): FieldTable {
  const out = emptyFieldTable();
  let o = 0;
  while (o < b.length) {
    const len = b[o]!;
    const key = b.toString('utf8', o + 1, o + 1 + len);
    o += 1 + len;
    const [v, next] = wireValue(b, o);
    out[key] = v;
    o = next;
  }
  return out;
}

function wireValue(b: Buffer, o: number): [FieldValue, number] {
  const tag = String.fromCharCode(b[o]!);
  o++;
  switch (tag) {
    case 'S': {
      const len = b.readUInt32BE(o);
      return [{ type: 'longstr', value: b.toString('utf8', o + 4, o + 4 + len) }, o + 4 + len];
    }
    case 'x': {
      const len = b.readUInt32BE(o);
      return [{ type: 'bytes', value: Uint8Array.from(b.subarray(o + 4, o + 4 + len)) }, o + 4 + len];
    }
    case 't':
      return [{ type: 'bool', value: b[o] !== 0 }, o + 1];
    case 'b':
      return [{ type: 'byte', value: b.readInt8(o) }, o + 1];
    case 'B':
      return [{ type: 'unsignedbyte', value: b.readUInt8(o) }, o + 1];
    case 's':
      return [{ type: 'short', value: b.readInt16BE(o) }, o + 2];
    case 'u':
      return [{ type: 'unsignedshort', value: b.readUInt16BE(o) }, o + 2];
    case 'I':
      return [{ type: 'int', value: b.readInt32BE(o) }, o + 4];
    case 'i':
      return [{ type: 'unsignedint', value: b.readUInt32BE(o) }, o + 4];
    case 'l': {
      const big = b.readBigInt64BE(o);
      const safe = big >= BigInt(-Number.MAX_SAFE_INTEGER) && big <= BigInt(Number.MAX_SAFE_INTEGER);
      return [{ type: 'long', value: safe ? Number(big) : big }, o + 8];
    }
    case 'f':
      return [{ type: 'float', value: b.readFloatBE(o) }, o + 4];
    case 'd':
      return [{ type: 'double', value: b.readDoubleBE(o) }, o + 8];
    case 'D':
      return [{ type: 'decimal', value: { places: b[o]!, digits: b.readUInt32BE(o + 1) } }, o + 5];
    case 'T':
      return [{ type: 'timestamp', value: Number(b.readBigUInt64BE(o)) }, o + 8];
    case 'V':
      return [{ type: 'void', value: null }, o];
    case 'F': {
      const len = b.readUInt32BE(o);
      return [{ type: 'table', value: wireTable(b.subarray(o + 4, o + 4 + len)) }, o + 4 + len];
    }
    case 'A': {
      const len = b.readUInt32BE(o);
      const end = o + 4 + len;
      const items: FieldValue[] = [];
      let p = o + 4;
      while (p < end) {
        const [v, next] = wireValue(b, p);
        items.push(v);
        p = next;
      }
      return [{ type: 'array', value: items }, end];
    }
    default:
      throw new Error(`tag ${tag}`);
  }
}

/** Makes amqplib's and our decoded values comparable (Buffer and Bytes both become byte lists). */
function plain(v: unknown): unknown {
  if (v instanceof Uint8Array) return { bytes: Array.from(v) };
  if (Array.isArray(v)) return v.map(plain);
  if (v && typeof v === 'object') {
    const o: Record<string, unknown> = {};
    for (const k of Object.keys(v)) o[k] = plain((v as Record<string, unknown>)[k]);
    return o;
  }
  return v;
}

/** What the oracle runner (oracle.mjs fromJson) hands amqplib for the JSON notation. */
function oracleFromJson(v: unknown): unknown {
  if (v === null || typeof v !== 'object') return v;
  if (Array.isArray(v)) return v.map(oracleFromJson);
  const o = v as Record<string, unknown>;
  const keys = Object.keys(o);
  if (keys.length === 1 && keys[0]!.startsWith('$')) {
    const t = keys[0]!.slice(1);
    if (t === 'bytes') return Buffer.from(String(o[keys[0]!]), 'base64');
    if ((t === 'double' || t === 'float') && typeof o[keys[0]!] === 'string') return { '!': t, value: Number(o[keys[0]!]) };
    return { '!': t, value: oracleFromJson(o[keys[0]!]) };
  }
  const out: Record<string, unknown> = {};
  for (const k of keys) out[k] = oracleFromJson(o[k]);
  return out;
}

// ------------------------------------------------------------------------ arbitraries ---

const edgeNumbers = [
  0, -0, 1, -1, 127, 128, -128, -129, 32767, 32768, -32768, -32769, 2 ** 31 - 1, 2 ** 31, -(2 ** 31), -(2 ** 31) - 1,
  2 ** 50 - 1, 2 ** 50, 2 ** 50 + 0.5, 2 ** 53, 2 ** 53 + 2, -(2 ** 53), 2 ** 62, 2 ** 63, -(2 ** 63), 1e21, 1.5, -1.5, 0.1,
  Infinity, 5e-324, Number.MAX_VALUE,
];

const amqplibLeaf: fc.Arbitrary<unknown> = fc.oneof(
  fc.string({ unit: 'binary' }),
  fc.boolean(),
  fc.constant(null),
  fc.integer(),
  fc.double({ noNaN: true }).filter((d) => d !== -Infinity),
  fc.constantFrom(...edgeNumbers),
  fc.uint8Array({ maxLength: 8 }).map((a) => Buffer.from(a)),
  fc.constantFrom('byte', 'short', 'int', 'unsignedbyte', 'unsignedshort', 'unsignedint').chain((t) =>
    fc.integer({ min: 0, max: 127 }).map((value) => ({ '!': t, value })),
  ),
  fc.constantFrom('int8', 'uint8', 'int16', 'uint16', 'int32', 'uint32', 'int64', 'float64').map((t) => ({ '!': t, value: 7 })),
  fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n }).map((value) => ({ '!': 'long', value })),
  fc.integer({ min: 0, max: 2 ** 40 }).map((value) => ({ '!': 'timestamp', value })),
  fc.double({ noNaN: true }).map((value) => ({ '!': 'float', value })),
  fc.double({ noNaN: true }).map((value) => ({ '!': 'double', value })),
  fc.record({ places: fc.integer({ min: 0, max: 255 }), digits: fc.integer({ min: 0, max: 2 ** 32 - 1 }) }).map((value) => ({ '!': 'decimal', value })),
);

const amqplibValue: fc.Arbitrary<unknown> = fc.letrec((tie) => ({
  value: fc.oneof({ depthSize: 'small', withCrossShrink: true }, amqplibLeaf, tie('array'), tie('table')),
  array: fc.array(tie('value'), { maxLength: 4 }),
  table: fc.dictionary(fc.string({ unit: 'binary', maxLength: 6 }), tie('value'), { maxKeys: 4 }),
})).value;

const amqplibTable = fc.dictionary(fc.string({ unit: 'binary', maxLength: 8 }), amqplibValue, { maxKeys: 6 });

/** Random FieldValues of every type, including those amqplib never produces (unsignedlong, bigints). */
const anyFieldValue: fc.Arbitrary<FieldValue> = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.string().map((value): FieldValue => ({ type: 'longstr', value })),
    fc.uint8Array({ maxLength: 6 }).map((value): FieldValue => ({ type: 'bytes', value })),
    fc.boolean().map((value): FieldValue => ({ type: 'bool', value })),
    fc.integer({ min: -128, max: 127 }).map((value): FieldValue => ({ type: 'byte', value })),
    fc.integer({ min: 0, max: 255 }).map((value): FieldValue => ({ type: 'unsignedbyte', value })),
    fc.integer({ min: -32768, max: 32767 }).map((value): FieldValue => ({ type: 'short', value })),
    fc.integer({ min: 0, max: 65535 }).map((value): FieldValue => ({ type: 'unsignedshort', value })),
    fc.integer().map((value): FieldValue => ({ type: 'int', value })),
    fc.integer({ min: 0, max: 2 ** 32 - 1 }).map((value): FieldValue => ({ type: 'unsignedint', value })),
    fc
      .bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n })
      .map((b): FieldValue => ({ type: 'long', value: b >= -(2n ** 53n) + 1n && b <= 2n ** 53n - 1n ? Number(b) : b })),
    fc.bigInt({ min: 0n, max: 2n ** 64n - 1n }).map((b): FieldValue => ({ type: 'unsignedlong', value: b <= 2n ** 53n - 1n ? Number(b) : b })),
    fc.double({ noNaN: true }).map((value): FieldValue => ({ type: 'double', value })),
    fc.double({ noNaN: true }).map((value): FieldValue => ({ type: 'float', value: Math.fround(value) })),
    fc.record({ places: fc.integer({ min: 0, max: 255 }), digits: fc.integer({ min: 0, max: 2 ** 32 - 1 }) }).map((value): FieldValue => ({ type: 'decimal', value })),
    fc.integer({ min: 0, max: Number.MAX_SAFE_INTEGER }).map((value): FieldValue => ({ type: 'timestamp', value })),
    fc.constant<FieldValue>({ type: 'void', value: null }),
    tie('array'),
    tie('table'),
  ),
  array: fc.array(tie('value'), { maxLength: 3 }).map((value): FieldValue => ({ type: 'array', value: value as FieldValue[] })),
  table: fc
    .array(fc.tuple(fc.oneof(fc.string({ maxLength: 5 }), fc.constantFrom('$long', '$x', '__proto__', 'constructor')), tie('value')), { maxLength: 3 })
    .map((entries): FieldValue => {
      const t = emptyFieldTable();
      for (const [k, v] of entries) t[k] = v as FieldValue;
      return { type: 'table', value: t };
    }),
})).value as fc.Arbitrary<FieldValue>;

const SEED = 20261125;

// ----------------------------------------------------------------------------- tests ---

describe('toFieldTable mirrors amqplib encoding', () => {
  it('picks the wire types amqplib picks (random inputs)', () => {
    fc.assert(
      fc.property(amqplibTable, (x) => {
        expectSameEncoding(x);
      }),
      { seed: SEED, numRuns: 400 },
    );
  });

  it('infers number types like amqplib, edge cases included', () => {
    for (const n of edgeNumbers) expectSameEncoding({ n });
    expect(() => toFieldValue(2 ** 50 + 0.5)).toThrow('The number 1125899906842624.5 cannot be converted to a BigInt because it is not an integer');
    expect(() => toFieldValue(-(2 ** 64))).toThrow('It must be >= -(2n ** 63n) and < 2n ** 63n');
    expect(toFieldValue(5)).toEqual({ type: 'byte', value: 5 });
    expect(toFieldValue(300)).toEqual({ type: 'short', value: 300 });
    expect(toFieldValue(70000)).toEqual({ type: 'int', value: 70000 });
    expect(toFieldValue(2 ** 40)).toEqual({ type: 'long', value: 2 ** 40 });
    expect(toFieldValue(1.5)).toEqual({ type: 'double', value: 1.5 });
    expect(toFieldValue(2 ** 63)).toEqual({ type: 'double', value: 2 ** 63 });
    expect(toFieldValue(-0)).toEqual({ type: 'byte', value: 0 });
    expect(toFieldValue({ '!': 'long', value: 2n ** 62n })).toEqual({ type: 'long', value: 2n ** 62n });
    expect(toFieldValue({ '!': 'float', value: 0.1 })).toEqual({ type: 'float', value: Math.fround(0.1) });
    expect(toFieldValue({ '!': 'int', value: 1.9 })).toEqual({ type: 'int', value: 1 });
    expect(toFieldValue({ '!': 'timestamp', value: 1700000000 })).toEqual({ type: 'timestamp', value: 1700000000 });
  });

  it('takes the other JS shapes as amqplib does (Date -> empty table, Buffer/Uint8Array -> bytes, lone surrogates -> U+FFFD)', () => {
    const date = new Date(0);
    expect(toFieldTable({ d: date })).toEqual(wireTable(amqplibEncode({ d: date })));
    expect(toFieldValue(date)).toEqual({ type: 'table', value: emptyFieldTable() });
    expect(toFieldValue(Buffer.from('ab'))).toEqual({ type: 'bytes', value: Uint8Array.from([97, 98]) });
    expect(toFieldValue(new Uint8Array([1, 2]))).toEqual({ type: 'bytes', value: Uint8Array.from([1, 2]) });
    const odd = { 'k\uD800': 'v\uDFFF', ok: '\uD83D\uDE00' };
    expect(toFieldTable(odd)).toEqual(wireTable(amqplibEncode(odd)));
    // amqplib skips undefined table values (the key never reaches the broker)
    expect(Object.keys(toFieldTable({ a: undefined, b: 1 }))).toEqual(['b']);
    expect(toFieldValue({ '!': 'object', value: null })).toEqual({ type: 'void', value: null });
    expect(toFieldValue({ '!': 'number', value: 3 })).toEqual({ type: 'byte', value: 3 });
    expect(toFieldValue({ '!': 'boolean', value: 1 })).toEqual({ type: 'bool', value: true });
  });

  it('throws what amqplib throws for what it cannot encode', () => {
    const bad: unknown[] = [
      { a: [undefined] },
      { a: 1n },
      { a: () => 1 },
      { a: NaN },
      { a: -Infinity },
      { a: 2 ** 50 + 0.5 },
      { a: { '!': 'nope', value: 1 } },
      { a: { '!': 'int', value: 2 ** 31 } },
      { a: { '!': 'int', value: 1n } },
      { a: { '!': 'byte', value: 128 } },
      { a: { '!': 'unsignedbyte', value: -1 } },
      { a: { '!': 'short', value: 40000 } },
      { a: { '!': 'unsignedshort', value: 70000 } },
      { a: { '!': 'unsignedint', value: 2 ** 40 } },
      { a: { '!': 'long', value: 1.5 } },
      { a: { '!': 'long', value: 'abc' } },
      { a: { '!': 'long', value: 2n ** 63n } },
      { a: { '!': 'timestamp', value: -1 } },
      { a: { '!': 'timestamp', value: undefined } },
      { a: { '!': 'decimal', value: { places: 300, digits: 1 } } },
      { a: { '!': 'decimal', value: { places: 1 } } },
      { a: { '!': 'decimal', value: { places: 1, digits: -1 } } },
      { ['k'.repeat(256)]: 1 },
      { a: 'x'.repeat(70000) },
      { a: { '!': 'unsignedlong', value: 1 } },
    ];
    for (const x of bad) {
      expect(() => amqplibEncode(x)).toThrow();
      expectSameEncoding(x);
    }
  });

  it('refuses a cyclic object with a RangeError, as amqplib does (its 64 KiB buffer or the stack runs out)', () => {
    const cyclic: Record<string, unknown> = { a: 1 };
    cyclic.self = cyclic;
    expect(() => toFieldTable(cyclic)).toThrow('Encoded field table (headers or arguments) exceeds the 65536 byte encoding buffer');
    expect(() => amqplibEncode(cyclic)).toThrow(RangeError);
    const longKey: Record<string, unknown> = {};
    longKey['k'.repeat(200)] = longKey;
    expect(() => amqplibEncode(longKey)).toThrow('Encoded field table (headers or arguments) exceeds the 65536 byte encoding buffer');
    expect(() => toFieldTable(longKey)).toThrow('Encoded field table (headers or arguments) exceeds the 65536 byte encoding buffer');
    const arr: unknown[] = [];
    arr.push(arr);
    expect(() => toFieldValue(arr)).toThrow(RangeError);
  });
});

describe('fromFieldTable mirrors amqplib decoding', () => {
  it('hands consumers what amqplib decodeFields hands them (random inputs)', () => {
    fc.assert(
      fc.property(amqplibTable, (x) => {
        const keys = JSON.stringify(Object.keys(x));
        fc.pre(!keys.includes('__proto__')); // amqplib's decoder would set the prototype; ours keeps a key
        fc.pre(encodable(x));
        expect(plain(fromFieldTable(toFieldTable(x)))).toEqual(plain(codec.decodeFields(amqplibEncode(x))));
      }),
      { seed: SEED, numRuns: 400 },
    );
  });

  it('gives bytes as a Uint8Array whose toString() is UTF-8 text (Buffer-like)', () => {
    const out = fromFieldTable(toFieldTable({ b: Buffer.from('héllo') }));
    expect(out.b).toBeInstanceOf(Uint8Array);
    expect(out.b).toBeInstanceOf(Bytes);
    expect(String(out.b)).toBe('héllo');
    expect(JSON.stringify(out.b)).toBe(JSON.stringify(Buffer.from('héllo')));
    expect(bytesFrom('hi').toString()).toBe('hi');
    expect(Array.from(bytesFrom([1, 2, 3]))).toEqual([1, 2, 3]);
  });

  it('decodes each type the amqplib way', () => {
    expect(fromFieldValue({ type: 'long', value: 2n ** 60n })).toBe(2 ** 60);
    expect(fromFieldValue({ type: 'unsignedlong', value: 5 })).toBe(5);
    expect(fromFieldValue({ type: 'float', value: 0.1 })).toBe(Math.fround(0.1));
    expect(fromFieldValue({ type: 'void', value: null })).toBeNull();
    expect(fromFieldValue({ type: 'timestamp', value: 17 })).toEqual({ '!': 'timestamp', value: 17 });
    expect(fromFieldValue({ type: 'decimal', value: { places: 1, digits: 15 } })).toEqual({ '!': 'decimal', value: { places: 1, digits: 15 } });
  });

  it('writes the oracle observed notation', () => {
    const t = toFieldTable({ s: 'x', n: { '!': 'long', value: 5 }, b: Buffer.from('1'), t: { '!': 'timestamp', value: 9 }, d: { '!': 'decimal', value: { places: 1, digits: 2 } }, a: [1, null] });
    expect(fieldTableToObservedJSON(t)).toEqual({ s: 'x', n: 5, b: { $bytes: 'MQ==' }, t: { $timestamp: 9 }, d: { $decimal: { places: 1, digits: 2 } }, a: [1, null] });
  });
});

describe('prototype-pollution keys are plain data', () => {
  it('stores __proto__ / constructor / toString as ordinary keys everywhere', () => {
    const input = JSON.parse('{"__proto__": {"polluted": 1}, "constructor": "c", "toString": 5, "hasOwnProperty": true}');
    const t = toFieldTable(input);
    expect(Object.getPrototypeOf(t)).toBeNull();
    expect(Object.keys(t)).toEqual(['__proto__', 'constructor', 'toString', 'hasOwnProperty']);
    expect(t['__proto__']).toEqual({ type: 'table', value: toFieldTable({ polluted: 1 }) });
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();

    const json = fieldTableToJSON(t);
    expect(JSON.parse(JSON.stringify(json))).toEqual(JSON.parse('{"__proto__": {"polluted": 1}, "constructor": "c", "toString": 5, "hasOwnProperty": true}'));
    expect(Object.getPrototypeOf(json)).toBe(Object.prototype);
    expect(fieldTableFromJSON(JSON.parse(JSON.stringify(json)))).toEqual(t);

    const decoded = fromFieldTable(t);
    expect(Object.getPrototypeOf(decoded)).toBe(Object.prototype);
    expect(Object.hasOwn(decoded, '__proto__')).toBe(true);
    expect((decoded as { polluted?: unknown }).polluted).toBeUndefined();
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();

    // lookups never reach inherited properties
    expect(fieldTableGet({ a: { type: 'void', value: null } } as FieldTable, 'constructor')).toBeUndefined();
    expect(fieldTableGet(toFieldTable({}), 'toString')).toBeUndefined();
    expect(fieldTableFromJSON({ constructor: 1 })['constructor']).toEqual({ type: 'byte', value: 1 });
  });
});

describe('JSON form', () => {
  it('round-trips amqplib inputs: toFieldTable -> fieldTableToJSON -> JSON text -> fieldTableFromJSON', () => {
    fc.assert(
      fc.property(amqplibTable, (x) => {
        fc.pre(encodable(x));
        const t = toFieldTable(x);
        expect(fieldTableFromJSON(JSON.parse(JSON.stringify(fieldTableToJSON(t))))).toEqual(t);
      }),
      { seed: SEED, numRuns: 400 },
    );
  });

  it('round-trips every FieldValue type (also those amqplib never makes)', () => {
    fc.assert(
      fc.property(anyFieldValue, (v) => {
        const text = JSON.stringify(fieldValueToJSON(v));
        expect(fieldValueFromJSON(JSON.parse(text))).toEqual(v);
      }),
      { seed: SEED, numRuns: 600 },
    );
  });

  it('reads the FORMAT.md notation', () => {
    const t = fieldTableFromJSON({
      s: 'x',
      i: 1,
      big: 3000000000,
      d: 1.5,
      l: { $long: 1 },
      n: { $int: 1 },
      dd: { $double: 1 },
      f: { $float: 1.5 },
      u: { $unsignedint: 1 },
      ts: { $timestamp: 1700000000 },
      b: { $bytes: 'MQ==' },
      dec: { $decimal: { places: 1, digits: 15 } },
      neg0: { $double: '-0' },
      lbig: { $long: '9007199254740993' },
      v: null,
      a: [1, 'a', { $long: 2 }],
      t: { x: true },
    });
    expect(t).toEqual(
      Object.assign(emptyFieldTable(), {
        s: { type: 'longstr', value: 'x' },
        i: { type: 'byte', value: 1 },
        big: { type: 'long', value: 3000000000 },
        d: { type: 'double', value: 1.5 },
        l: { type: 'long', value: 1 },
        n: { type: 'int', value: 1 },
        dd: { type: 'double', value: 1 },
        f: { type: 'float', value: 1.5 },
        u: { type: 'unsignedint', value: 1 },
        ts: { type: 'timestamp', value: 1700000000 },
        b: { type: 'bytes', value: Uint8Array.from([0x31]) },
        dec: { type: 'decimal', value: { places: 1, digits: 15 } },
        neg0: { type: 'double', value: -0 },
        lbig: { type: 'long', value: 9007199254740993n },
        v: { type: 'void', value: null },
        a: { type: 'array', value: [{ type: 'byte', value: 1 }, { type: 'longstr', value: 'a' }, { type: 'long', value: 2 }] },
        t: { type: 'table', value: Object.assign(emptyFieldTable(), { x: { type: 'bool', value: true } }) },
      }),
    );
    expect(Object.is(t.neg0!.value, -0)).toBe(true);
    expect(() => fieldTableFromJSON({ a: { $nope: 1 } })).toThrow('Unknown type to encode: nope');
  });

  it('reads scenario JSON exactly as the oracle runner + amqplib put it on the wire', () => {
    const samples = [
      { 'x-match': 'all', a: 'A', n: 1, big: 2 ** 40, neg: -5, f: 0.5, v: null, arr: [1, 'x', [true]], tbl: { k: { $long: 1 } } },
      { t: { $timestamp: 1000 }, b: { $bytes: 'YQ==' }, fl: { $float: 0.1 }, dz: { $double: '-0' }, dec: { $decimal: { places: 2, digits: 150 } } },
      { u8: { $unsignedbyte: 5 }, u16: { $unsignedshort: 5 }, i32: { $int: -7 }, s16: { $short: 300 }, l: { $long: '123456789012345678' } },
    ];
    for (const s of samples) expect(fieldTableFromJSON(s)).toEqual(wireTable(amqplibEncode(oracleFromJson(s))));
  });

  it('writes plain JSON where inference gives the type back, {"$TYPE": v} elsewhere', () => {
    const t = toFieldTable({
      s: 'eu',
      b: 5,
      l: { '!': 'long', value: 5 },
      d: 1.5,
      d1: { '!': 'double', value: 1 },
      z: { '!': 'double', value: -0 },
      big: { '!': 'long', value: 2n ** 62n },
      odd: { $long: 1 },
    });
    expect(fieldTableToJSON(t)).toEqual({
      s: 'eu',
      b: 5,
      l: { $long: 5 },
      d: 1.5,
      d1: { $double: 1 },
      z: { $double: '-0' },
      big: { $long: '4611686018427387904' },
      odd: { $table: { $long: 1 } },
    });
  });

  it('base64 matches Node', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 40 }), (a) => {
        expect(base64Encode(a)).toBe(Buffer.from(a).toString('base64'));
        expect(Array.from(base64Decode(Buffer.from(a).toString('base64')))).toEqual(Array.from(a));
        expect(Array.from(base64Decode(Buffer.from(a).toString('base64url')))).toEqual(Array.from(a));
      }),
      { seed: SEED, numRuns: 200 },
    );
  });
});

describe('fieldValuesEqual is RabbitMQ 4.3.6 header-value equality', () => {
  const v = (x: unknown): FieldValue => fieldValueFromJSON(x);
  const cases: [unknown, unknown, boolean, string][] = [
    [1, { $long: 1 }, true, 'integer widths equal by value'],
    [{ $unsignedint: 7 }, { $short: 7 }, true, 'signedness does not matter'],
    [{ $long: '9007199254740993' }, { $long: '9007199254740993' }, true, 'bigint longs'],
    [{ $long: '9007199254740993' }, { $long: 9007199254740992 }, false, 'bigint vs number'],
    [1, { $double: 1 }, false, 'integer 1 != double 1.0'],
    [{ $float: 1.5 }, 1.5, true, 'float 1.5 == double 1.5'],
    [{ $float: 0.1 }, 0.1, false, 'float 0.1 != double 0.1'],
    [{ $float: 0.1 }, { $float: 0.1 }, true, 'float == float'],
    [{ $double: '-0' }, { $double: 0 }, false, '-0.0 =/= 0.0 (OTP 27+)'],
    [{ $double: '-0' }, { $float: '-0' }, true, '-0.0 float == -0.0 double'],
    ['1', { $bytes: 'MQ==' }, true, 'longstr and bytes are both binaries'],
    ['é', { $bytes: Buffer.from('é').toString('base64') }, true, 'UTF-8 bytes'],
    ['é', { $bytes: Buffer.from('é', 'latin1').toString('base64') }, false, 'latin1 byte is not UTF-8 é'],
    ['1', 1, false, '"1" never equals 1'],
    [true, true, true, 'bool'],
    [true, 1, false, 'bool is not an integer'],
    [null, null, true, 'void'],
    [null, '', false, 'void is not empty string'],
    [{ $timestamp: 1000 }, { $long: 1000 }, true, 'timestamp is an integer to Erlang'],
    [{ $timestamp: 1000 }, { $timestamp: 1000 }, true, 'timestamp == timestamp'],
    [{ $decimal: { places: 1, digits: 15 } }, { $decimal: { places: 1, digits: 15 } }, true, 'decimal'],
    [{ $decimal: { places: 1, digits: 15 } }, { $decimal: { places: 2, digits: 150 } }, false, 'decimal is a tuple, not a number'],
    [[1], [1], true, 'array of bytes'],
    [[1], [{ $long: 1 }], false, 'array elements carry their type: byte 1 != long 1'],
    [[300], [{ $int: 300 }], false, 'short 300 != signedint 300 inside an array'],
    [['a'], [{ $bytes: 'YQ==' }], false, 'longstr != binary inside an array'],
    [[{ $float: 1.5 }], [1.5], false, 'float != double inside an array'],
    [[{ $timestamp: 5 }], [{ $long: 5 }], false, 'timestamp != long inside an array'],
    [[{ $unsignedlong: 5 }], [{ $long: 5 }], true, 'L is read as long'],
    [[], [], true, 'empty arrays'],
    [{ a: 1, b: 2 }, { a: 1, b: 2 }, true, 'tables'],
    [{ a: 1, b: 2 }, { b: 2, a: 1 }, false, 'tables compare in order'],
    [{ a: 1 }, { a: { $long: 1 } }, false, 'table values carry their type'],
    [{ a: 1 }, { a: 1, b: 2 }, false, 'table sizes'],
    [{ $table: {} }, [], false, 'table is not array'],
  ];
  it.each(cases)('%j vs %j -> %s (%s)', (a, b, want) => {
    expect(fieldValuesEqual(v(a), v(b))).toBe(want);
    expect(fieldValuesEqual(v(b), v(a))).toBe(want);
  });

  it('is reflexive and symmetric on random values', () => {
    fc.assert(
      fc.property(anyFieldValue, anyFieldValue, (a, b) => {
        expect(fieldValuesEqual(a, a)).toBe(true);
        expect(fieldValuesEqual(a, b)).toBe(fieldValuesEqual(b, a));
      }),
      { seed: SEED, numRuns: 500 },
    );
  });

  it('compares strings with lone surrogates by their UTF-8 bytes', () => {
    expect(fieldValuesEqual({ type: 'longstr', value: '\uD800' }, { type: 'longstr', value: '\uDBFF' })).toBe(true);
    expect(fieldValuesEqual({ type: 'longstr', value: '\uD800' }, { type: 'bytes', value: Uint8Array.from([0xef, 0xbf, 0xbd]) })).toBe(true);
    expect(fieldValuesEqual({ type: 'longstr', value: '😀' }, { type: 'bytes', value: bytesFrom('😀') })).toBe(true);
    expect(fieldValuesEqual({ type: 'longstr', value: 'ab' }, { type: 'bytes', value: bytesFrom('a') })).toBe(false);
  });
});

describe('formatFieldValue', () => {
  it.each([
    ['eu', '"eu"'],
    [5, '5'],
    [{ $long: 5 }, '5 (long)'],
    [{ $int: 300 }, '300 (int)'],
    [1.5, '1.5'],
    [{ $double: 1 }, '1.0 (double)'],
    [{ $double: '-0' }, '-0.0 (double)'],
    [{ $float: 1.5 }, '1.5 (float)'],
    [{ $timestamp: 1700000000 }, '1700000000 (timestamp)'],
    [{ $decimal: { places: 3, digits: 15 } }, '0.015 (decimal)'],
    [true, 'true'],
    [null, 'void'],
    [[1, 2], '[1, 2]'],
    [{ a: 1 }, '{a: 1}'],
    [{ 'my key': 'x' }, '{"my key": "x"}'],
    [{ $bytes: Buffer.from('abc').toString('base64') }, 'bytes "abc"'],
    [{ $bytes: Buffer.from([0xff, 1]).toString('base64') }, 'bytes <ff 01>'],
    [{ $long: '9007199254740993' }, '9007199254740993 (long)'],
  ])('%j -> %s', (json, text) => {
    expect(formatFieldValue(fieldValueFromJSON(json))).toBe(text);
  });
});

describe('Erlang view (~tp), as RabbitMQ prints values in errors', () => {
  it.each([
    [1, '1.0'],
    [0.1, '0.1'],
    [1.5, '1.5'],
    [-0, '-0.0'],
    [100, '100.0'],
    [1000, '1.0e3'],
    [0.0001, '0.0001'],
    [0.00001, '1.0e-5'],
    [1e21, '1.0e21'],
    [1e-7, '1.0e-7'],
    [123456789.123, '123456789.123'],
    [2 ** 53, '9.007199254740992e15'],
    [12345678900, '12345678900.0'],
    [1e10, '1.0e10'],
    [Math.fround(0.1), '0.10000000149011612'],
    [5e-324, '5.0e-324'],
  ])('float %d -> %s', (x, text) => {
    expect(erlangFloatText(x)).toBe(text);
  });

  it('prints binaries as text, text/utf8 or bytes', () => {
    const tp = (v: unknown) => formatErlangTerm(erlangTermOf(fieldValueFromJSON(v)));
    expect(tp('ALL')).toBe('<<"ALL">>');
    expect(tp('')).toBe('<<>>');
    expect(tp('héllo')).toBe('<<"héllo"/utf8>>');
    expect(tp('a\nb"\\')).toBe('<<"a\\nb\\"\\\\">>');
    expect(tp('\u0001x')).toBe('<<1,120>>');
    expect(tp({ $bytes: Buffer.from([0xe9, 0x41]).toString('base64') })).toBe('<<"éA">>');
    expect(tp({ $bytes: Buffer.from([0xed, 0xa0, 0x80]).toString('base64') })).toBe('<<237,160,128>>');
    expect(tp([1, 'a'])).toBe('[{byte,1},{longstr,<<"a">>}]');
    expect(tp({ a: true })).toBe('[{<<"a">>,bool,true}]');
    expect(tp({ $decimal: { places: 1, digits: 15 } })).toBe('{1,15}');
    expect(tp(null)).toBe('undefined');
  });
});
