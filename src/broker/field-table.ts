/**
 * AMQP 0-9-1 field tables (headers, arguments) with their wire types kept.
 *
 * Layout: a FieldTable is a null-prototype object from name to a tagged FieldValue, so a type
 * that matters to RabbitMQ (double 1.0 vs integer 1, longstr vs bytes) survives routing,
 * dead-lettering and inspection. Input comes the way amqplib takes it (plain JS values, or
 * `{'!': 'float', value: 1.5}` for a forced type); output to consumers the way amqplib decodes it.
 * Cost: conversion is linear in the table's size; comparison allocates nothing.
 *
 * Sections below: amqplib-style encoding (`toFieldValue`/`toFieldTable`), amqplib-style decoding
 * (`fromFieldValue`/`fromFieldTable`), RabbitMQ's value equality (`fieldValuesEqual`), human text
 * (`formatFieldValue`), the lossless JSON form (`fieldTableToJSON`/`fieldTableFromJSON`), and the
 * Erlang view of a value with io_lib's `~tp` printing (`erlangTermOf`/`formatErlangTerm`), which
 * RabbitMQ uses in error texts.
 */

export type IntegerType =
  | 'byte'
  | 'unsignedbyte'
  | 'short'
  | 'unsignedshort'
  | 'int'
  | 'unsignedint'
  | 'long'
  | 'unsignedlong';

export type FieldValue =
  | { type: 'longstr'; value: string }
  | { type: 'bytes'; value: Uint8Array }
  | { type: 'bool'; value: boolean }
  | { type: IntegerType; value: number | bigint }
  | { type: 'float'; value: number }
  | { type: 'double'; value: number }
  | { type: 'decimal'; value: { places: number; digits: number } }
  | { type: 'timestamp'; value: number }
  | { type: 'void'; value: null }
  | { type: 'array'; value: FieldValue[] }
  | { type: 'table'; value: FieldTable };

export type FieldType = FieldValue['type'];

export interface FieldTable {
  [name: string]: FieldValue;
}

/** A FieldValue of one of the integer types. */
export type IntegerFieldValue = Extract<FieldValue, { type: IntegerType }>;

const INTEGER_TYPES: ReadonlySet<string> = new Set<IntegerType>([
  'byte',
  'unsignedbyte',
  'short',
  'unsignedshort',
  'int',
  'unsignedint',
  'long',
  'unsignedlong',
]);

/** True for the eight integer types (not `timestamp`, which RabbitMQ also holds as an integer). */
export function isIntegerType(type: FieldType): type is IntegerType {
  return INTEGER_TYPES.has(type);
}

/** A new empty FieldTable: a null-prototype object, so any key (`__proto__`, `constructor`) is plain data. */
export function emptyFieldTable(): FieldTable {
  return Object.create(null) as FieldTable;
}

/** The table's own entry for `key`, never an inherited property (safe for `constructor`, `__proto__`). */
export function fieldTableGet(t: FieldTable | undefined, key: string): FieldValue | undefined {
  return t !== undefined && Object.prototype.hasOwnProperty.call(t, key) ? t[key] : undefined;
}

// ------------------------------------------------------------------------------------ bytes ---

const utf8Decoder = new TextDecoder('utf-8');
const utf8Encoder = new TextEncoder();

/**
 * A byte array as amqplib hands out a `Buffer` for a field of type bytes (`x`): `toString()` is
 * the bytes read as UTF-8 and `JSON.stringify` gives `{"type":"Buffer","data":[...]}`, as a
 * Buffer would. No Node import: it is a plain Uint8Array subclass, usable in a Web Worker.
 */
export class Bytes extends Uint8Array {
  /** The bytes decoded as UTF-8 (invalid sequences become U+FFFD), like `Buffer#toString()`. */
  override toString(): string {
    return utf8Decoder.decode(this);
  }

  /** The JSON shape of a Node Buffer. */
  toJSON(): { type: 'Buffer'; data: number[] } {
    return { type: 'Buffer', data: Array.from(this) };
  }
}

/** A new Bytes holding `source`: a string is encoded as UTF-8, an array of bytes is copied. */
export function bytesFrom(source: string | Uint8Array | ArrayLike<number>): Bytes {
  if (typeof source === 'string') {
    const encoded = utf8Encoder.encode(source);
    return new Bytes(encoded.buffer, encoded.byteOffset, encoded.byteLength);
  }
  const out = new Bytes(source.length);
  out.set(source);
  return out;
}

/** `s` as it comes back from the wire: each lone UTF-16 surrogate becomes U+FFFD (what UTF-8 encoding does). */
function wellFormed(s: string): string {
  return /[\uD800-\uDFFF]/.test(s) ? s.replace(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, '\uFFFD') : s;
}

/** Byte length of `s` in UTF-8, lone surrogates counting as U+FFFD (3 bytes), like Buffer.byteLength. */
function utf8Length(s: string): number {
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x80) n += 1;
    else if (c < 0x800) n += 2;
    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length && (s.charCodeAt(i + 1) & 0xfc00) === 0xdc00) {
      n += 4;
      i++;
    } else n += 3;
  }
  return n;
}

/** The code point at `i` of `s` (a lone surrogate reads as U+FFFD) and how many UTF-16 units it used. */
function codePointAt(s: string, i: number): number {
  const c = s.charCodeAt(i);
  if (c < 0xd800 || c > 0xdfff) return c;
  if (c <= 0xdbff && i + 1 < s.length) {
    const d = s.charCodeAt(i + 1);
    if ((d & 0xfc00) === 0xdc00) return 0x10000 + ((c - 0xd800) << 10) + (d - 0xdc00);
  }
  return 0xfffd;
}

/** Do two strings have the same UTF-8 bytes? (Differs from `===` only for lone surrogates.) */
function sameUtf8(a: string, b: string): boolean {
  if (a === b) return true;
  let i = 0;
  let j = 0;
  while (i < a.length && j < b.length) {
    const x = codePointAt(a, i);
    const y = codePointAt(b, j);
    if (x !== y) return false;
    i += x > 0xffff ? 2 : 1;
    j += y > 0xffff ? 2 : 1;
  }
  return i === a.length && j === b.length;
}

/** Is `b` exactly the UTF-8 encoding of `s`? Allocates nothing. */
function utf8Equals(s: string, b: Uint8Array): boolean {
  let j = 0;
  for (let i = 0; i < s.length; i++) {
    const c = codePointAt(s, i);
    if (c > 0xffff) i++;
    if (c < 0x80) {
      if (b[j++] !== c) return false;
    } else if (c < 0x800) {
      if (b[j++] !== (0xc0 | (c >> 6)) || b[j++] !== (0x80 | (c & 0x3f))) return false;
    } else if (c < 0x10000) {
      if (b[j++] !== (0xe0 | (c >> 12)) || b[j++] !== (0x80 | ((c >> 6) & 0x3f)) || b[j++] !== (0x80 | (c & 0x3f))) return false;
    } else if (
      b[j++] !== (0xf0 | (c >> 18)) ||
      b[j++] !== (0x80 | ((c >> 12) & 0x3f)) ||
      b[j++] !== (0x80 | ((c >> 6) & 0x3f)) ||
      b[j++] !== (0x80 | (c & 0x3f))
    ) {
      return false;
    }
  }
  return j === b.length;
}

function bytesEqual(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

// --------------------------------------------------------------------- encoding (amqplib) ---

/** amqplib encodes method arguments and message properties into a 64 KiB scratch buffer. */
const AMQPLIB_SCRATCH_BYTES = 65536;

/** Node's ERR_OUT_OF_RANGE text, as Buffer#writeInt32BE etc. throw it (amqplib lets it through). */
function outOfRange(range: string, received: number | bigint): RangeError {
  const sep = (s: string): string => {
    let res = '';
    let i = s.length;
    const start = s[0] === '-' ? 1 : 0;
    for (; i >= start + 4; i -= 3) res = `_${s.slice(i - 3, i)}${res}`;
    return `${s.slice(0, i)}${res}`;
  };
  let text: string;
  if (typeof received === 'bigint') {
    text = String(received);
    if (received > 2n ** 32n || received < -(2n ** 32n)) text = sep(text);
    text += 'n';
  } else if (Number.isInteger(received) && Math.abs(received) > 2 ** 32) {
    text = sep(String(received));
  } else {
    text = Object.is(received, -0) ? '-0' : String(received);
  }
  return new RangeError(`The value of "value" is out of range. It must be ${range}. Received ${text}`);
}

/** Node's `+value` then range check of Buffer#writeIntN / writeUIntN; returns what the wire then holds. */
function nodeInt(val: unknown, min: number, max: number): number {
  const n = +(val as number); // throws TypeError for a bigint or symbol, as Node does
  if (n > max || n < min) throw outOfRange(`>= ${min} and <= ${max}`, n);
  return Number.isNaN(n) ? 0 : Math.trunc(n) + 0; // + 0 turns -0 into 0
}

/** How Node's argument errors describe a received value (`type number (5)`, `null`, `an instance of X`). */
function describeReceived(v: unknown): string {
  if (v === null || v === undefined) return String(v);
  if (typeof v === 'function') return `function ${(v as { name?: string }).name || '<anonymous>'}`;
  if (typeof v === 'object') {
    const name = (v as { constructor?: { name?: string } }).constructor?.name;
    return name ? `an instance of ${name}` : String(v);
  }
  let shown = typeof v === 'symbol' ? v.toString() : typeof v === 'bigint' ? `${v}n` : String(v);
  if (typeof v === 'string') shown = `'${v.length > 28 ? `${v.slice(0, 25)}...` : v}'`;
  return `type ${typeof v} (${shown})`;
}

/** `BigInt(val)` then Node's range check of writeBigInt64BE / writeBigUInt64BE. */
function nodeBigInt(val: unknown, signed: boolean): bigint {
  const big = BigInt(val as bigint); // native errors: RangeError for 1.5, SyntaxError for 'abc', TypeError for undefined
  if (signed ? big < -(2n ** 63n) || big >= 2n ** 63n : big < 0n || big >= 2n ** 64n) {
    throw outOfRange(signed ? '>= -(2n ** 63n) and < 2n ** 63n' : '>= 0n and < 2n ** 64n', big);
  }
  return big;
}

function smallest(big: bigint): number | bigint {
  return big >= -BigInt(Number.MAX_SAFE_INTEGER) && big <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(big) : big;
}

/** amqplib's `isFloatingPoint`, kept loose (it also sees non-numbers given as `{'!': 'number'}`). */
function amqplibIsFloatingPoint(n: any): boolean {
  return n >= 0x8000000000000000 || (Math.abs(n) < 0x4000000000000 && Math.floor(n) !== n);
}

/** The type amqplib picks for a plain JS number: double, or the smallest of byte/short/int/long. */
export function inferredNumberType(n: number): 'double' | 'byte' | 'short' | 'int' | 'long' {
  if (amqplibIsFloatingPoint(n)) return 'double';
  if (n < 128 && n >= -128) return 'byte';
  if (n >= -0x8000 && n < 0x8000) return 'short';
  if (n >= -0x80000000 && n < 0x80000000) return 'int';
  return 'long';
}

/** Mirrors amqplib's codec.js encodeTable/encodeFieldValue, tracking the scratch-buffer offset. */
class Encoder {
  offset = 0;
  readonly #ancestors = new Set<object>();

  /** `jsonForm`: also take `{'!': 'unsignedlong'}` (the JSON form's extension; amqplib has no such type). */
  constructor(readonly jsonForm = false) {}

  space(size: number): void {
    if (this.offset + size > AMQPLIB_SCRATCH_BYTES) {
      throw new RangeError(`Encoded field table (headers or arguments) exceeds the ${AMQPLIB_SCRATCH_BYTES} byte encoding buffer`);
    }
  }

  /**
   * Enters a container. A cycle can only end in an error: amqplib runs out of its 64 KiB buffer
   * or, for short keys, of stack ("Maximum call stack size exceeded"); both are RangeErrors, and
   * the buffer one is what a cycle gives here, at once.
   */
  enter(o: object): void {
    if (this.#ancestors.has(o)) {
      this.offset = AMQPLIB_SCRATCH_BYTES;
      this.space(1);
    }
    this.#ancestors.add(o);
  }

  leave(o: object): void {
    this.#ancestors.delete(o);
  }

  table(val: any): FieldTable {
    const out = emptyFieldTable();
    this.space(4);
    this.offset += 4;
    if (typeof val === 'object' && val !== null) this.enter(val);
    for (const key in val) {
      if (val[key] === undefined) continue;
      const len = utf8Length(key);
      this.space(1 + len);
      if (len > 255) throw outOfRange('>= 0 and <= 255', len);
      this.offset += 1 + len;
      out[wellFormed(key)] = this.value(val[key]);
    }
    if (typeof val === 'object' && val !== null) this.leave(val);
    return out;
  }

  array(val: any): FieldValue[] {
    const out: FieldValue[] = [];
    this.space(4);
    this.offset += 4;
    this.enter(val);
    for (let i = 0, num = val.length; i < num; i++) out.push(this.value(val[i]));
    this.leave(val);
    return out;
  }

  tag(): void {
    this.space(1);
    this.offset++;
  }

  fixed(size: number): void {
    this.space(size);
    this.offset += size;
  }

  value(value: unknown): FieldValue {
    let type: unknown = typeof value;
    let val: any = value;
    if (value && type === 'object' && Object.hasOwn(value as object, '!')) {
      val = (value as { value?: unknown }).value;
      type = (value as { '!': unknown })['!'];
    }
    if (type === 'number') type = amqplibIsFloatingPoint(val) ? 'double' : inferredNumberType(+val);

    switch (type) {
      case 'string': {
        if (typeof val !== 'string') throw new TypeError(`The "string" argument must be of type string or an instance of Buffer or ArrayBuffer. Received ${describeReceived(val)}`);
        const len = utf8Length(val);
        this.tag();
        this.fixed(4 + len);
        return { type: 'longstr', value: wellFormed(val) };
      }
      case 'object':
        if (val === null) {
          this.tag();
          return { type: 'void', value: null };
        }
        if (Array.isArray(val)) {
          this.tag();
          return { type: 'array', value: this.array(val) };
        }
        if (val instanceof Uint8Array) {
          // amqplib takes a Node Buffer here; any Uint8Array is accepted (a browser has no Buffer).
          this.tag();
          this.fixed(4 + val.length);
          return { type: 'bytes', value: Uint8Array.from(val) };
        }
        this.tag();
        return { type: 'table', value: this.table(val) };
      case 'boolean':
        this.tag();
        this.fixed(1);
        return { type: 'bool', value: !!val };
      case 'double':
      case 'float64':
        this.tag();
        this.fixed(8);
        return { type: 'double', value: +val };
      case 'byte':
      case 'int8':
        this.tag();
        this.space(1);
        return this.int('byte', nodeInt(val, -0x80, 0x7f), 1);
      case 'unsignedbyte':
      case 'uint8':
        this.tag();
        this.space(1);
        return this.int('unsignedbyte', nodeInt(val, 0, 0xff), 1);
      case 'short':
      case 'int16':
        this.tag();
        this.space(2);
        return this.int('short', nodeInt(val, -0x8000, 0x7fff), 2);
      case 'unsignedshort':
      case 'uint16':
        this.tag();
        this.space(2);
        return this.int('unsignedshort', nodeInt(val, 0, 0xffff), 2);
      case 'int':
      case 'int32':
        this.tag();
        this.space(4);
        return this.int('int', nodeInt(val, -0x80000000, 0x7fffffff), 4);
      case 'unsignedint':
      case 'uint32':
        this.tag();
        this.space(4);
        return this.int('unsignedint', nodeInt(val, 0, 0xffffffff), 4);
      case 'long':
      case 'int64': {
        this.tag();
        this.space(8);
        const big = nodeBigInt(val, true);
        this.offset += 8;
        return { type: 'long', value: smallest(big) };
      }
      case 'unsignedlong':
        if (!this.jsonForm) throw new TypeError(`Unknown type to encode: ${type}`);
        this.tag();
        this.space(8);
        this.offset += 8;
        return { type: 'unsignedlong', value: smallest(nodeBigInt(val, false)) };
      case 'timestamp': {
        this.tag();
        this.space(8);
        const big = nodeBigInt(val, false);
        this.offset += 8;
        return { type: 'timestamp', value: Number(big) };
      }
      case 'float':
        this.tag();
        this.fixed(4);
        return { type: 'float', value: Math.fround(+val) };
      case 'decimal': {
        this.tag();
        if (Object.hasOwn(val, 'places') && Object.hasOwn(val, 'digits') && val.places >= 0 && val.places < 256) {
          this.space(5);
          const places = (+val.places | 0) & 0xff;
          this.offset++;
          const digits = nodeInt(val.digits, 0, 0xffffffff);
          this.offset += 4;
          return { type: 'decimal', value: { places, digits } };
        }
        throw new TypeError(`Decimal value must be {'places': 0..255, 'digits': uint32}, got ${JSON.stringify(val)}`);
      }
      default:
        throw new TypeError(`Unknown type to encode: ${type as string}`);
    }
  }

  int(type: IntegerType, value: number, size: number): FieldValue {
    this.offset += size;
    return { type, value };
  }
}

/**
 * A FieldValue from a value as amqplib takes it in headers or arguments, with amqplib's type
 * choices: string -> longstr; integer number -> byte/short/int/long (the smallest that holds it,
 * long from 2^50, double from 2^63); other number -> double (so is +Infinity; NaN and -Infinity
 * throw as in amqplib); boolean -> bool; null -> void; array -> array; Uint8Array (Buffer) ->
 * bytes; any other object -> table of its enumerable keys (a Date or Map -> empty table);
 * `{'!': TYPE, value}` forces TYPE: double/float64, float, byte/int8, unsignedbyte/uint8,
 * short/int16, unsignedshort/uint16, int/int32, unsignedint/uint32, long/int64, timestamp,
 * decimal (`{places, digits}`), and also string/boolean/number/object.
 * Throws what amqplib (and Node's Buffer) would: `Unknown type to encode: undefined` for
 * undefined (amqplib skips an undefined table value, see toFieldTable, but throws for an undefined
 * array element), a bigint, a function or an unknown type name; a RangeError for an integer out of
 * range, a key over 255 bytes, or a table bigger than amqplib's 64 KiB encoding buffer (a cyclic
 * object included). One deliberate difference: amqplib takes only a Node Buffer as bytes (a plain
 * Uint8Array would become a table of its indices); here any Uint8Array is bytes, as a browser has
 * no Buffer.
 */
export function toFieldValue(input: unknown): FieldValue {
  return new Encoder().value(input);
}

/**
 * A FieldTable from an object as amqplib takes it for headers or arguments (see toFieldValue):
 * keys in for-in order (own and inherited enumerable), keys whose value is undefined left out,
 * a key longer than 255 UTF-8 bytes refused. `__proto__`/`constructor` are stored as plain keys
 * of a null-prototype object. null/undefined give an empty table.
 */
export function toFieldTable(input: unknown): FieldTable {
  if (input === null || input === undefined) return emptyFieldTable();
  if (typeof input !== 'object') throw new TypeError(`A field table must be an object, got ${typeof input}`);
  return new Encoder().table(input);
}

// --------------------------------------------------------------------- decoding (amqplib) ---

/** What amqplib hands a consumer for a decimal (`D`) field. */
export interface AmqplibDecimal {
  '!': 'decimal';
  value: { places: number; digits: number };
}

/** What amqplib hands a consumer for a timestamp (`T`) field. */
export interface AmqplibTimestamp {
  '!': 'timestamp';
  value: number;
}

function setOwn(target: Record<string, unknown>, key: string, value: unknown): void {
  if (key === '__proto__') Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
  else target[key] = value;
}

/**
 * The JS value amqplib's decoder (codec.js decodeFields) gives a consumer for this field:
 * longstr -> string; bytes -> Bytes (a Uint8Array whose toString() is the UTF-8 text, standing in
 * for Buffer); bool -> boolean; any integer type -> number (a long beyond 2^53 loses precision,
 * as `Number(readBigInt64BE())` does); float/double -> number; void -> null;
 * decimal -> `{'!': 'decimal', value: {places, digits}}`; timestamp -> `{'!': 'timestamp', value}`;
 * array -> array; table -> plain object.
 */
export function fromFieldValue(v: FieldValue): unknown {
  switch (v.type) {
    case 'longstr':
      return v.value;
    case 'bytes':
      return bytesFrom(v.value);
    case 'bool':
      return v.value;
    case 'float':
      return Math.fround(v.value);
    case 'double':
      return v.value;
    case 'decimal':
      return { '!': 'decimal', value: { places: v.value.places, digits: v.value.digits } } satisfies AmqplibDecimal;
    case 'timestamp':
      return { '!': 'timestamp', value: v.value } satisfies AmqplibTimestamp;
    case 'void':
      return null;
    case 'array':
      return v.value.map(fromFieldValue);
    case 'table':
      return fromFieldTable(v.value);
    default:
      return Number(v.value);
  }
}

/**
 * The object amqplib's decoder gives a consumer for this table (values as in fromFieldValue).
 * A plain object; a `__proto__` key becomes an own property, never the prototype.
 */
export function fromFieldTable(t: FieldTable): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(t)) setOwn(out, key, fromFieldValue(t[key]!));
  return out;
}

/**
 * This table in the notation of the oracle's observed output (FORMAT.md): the amqplib-decoded
 * value made JSON, with `{"$bytes": base64}`, `{"$timestamp": n}`, `{"$decimal": {...}}`;
 * integer widths and float/double are not told apart (amqplib decodes them all to numbers).
 */
export function fieldTableToObservedJSON(t: FieldTable): Record<string, unknown> {
  const walk = (v: FieldValue): unknown => {
    switch (v.type) {
      case 'bytes':
        return { $bytes: base64Encode(v.value) };
      case 'timestamp':
        return { $timestamp: v.value };
      case 'decimal':
        return { $decimal: { places: v.value.places, digits: v.value.digits } };
      case 'array':
        return v.value.map(walk);
      case 'table': {
        const o: Record<string, unknown> = {};
        for (const k of Object.keys(v.value)) setOwn(o, k, walk(v.value[k]!));
        return o;
      }
      default:
        return fromFieldValue(v);
    }
  };
  return walk({ type: 'table', value: t }) as Record<string, unknown>;
}

// -------------------------------------------------------------------- equality (RabbitMQ) ---

/**
 * The type atom RabbitMQ's parser (rabbit_binary_parser) gives a field of this type: `int` is
 * `signedint`, `bytes` is `binary`, an `unsignedlong` (`L`) is read as `long`; the rest keep
 * their name. Inside arrays and tables these atoms are part of the value RabbitMQ compares.
 */
export function erlangTypeName(type: FieldType): string {
  switch (type) {
    case 'int':
      return 'signedint';
    case 'bytes':
      return 'binary';
    case 'unsignedlong':
      return 'long';
    default:
      return type;
  }
}

/** The integer RabbitMQ holds for an integer or timestamp field, else undefined. */
function integerOf(v: FieldValue): number | bigint | undefined {
  if (v.type === 'timestamp') return v.value;
  return isIntegerType(v.type) ? (v.value as number | bigint) : undefined;
}

/** `a === b` for integers that may be numbers or bigints. */
export function integersEqual(a: number | bigint, b: number | bigint): boolean {
  if (typeof a === 'number' && typeof b === 'number') return a === b;
  if (typeof a === 'number' && !Number.isInteger(a)) return false;
  if (typeof b === 'number' && !Number.isInteger(b)) return false;
  return BigInt(a) === BigInt(b);
}

function floatOf(v: FieldValue): number | undefined {
  if (v.type === 'double') return v.value;
  if (v.type === 'float') return Math.fround(v.value);
  return undefined;
}

/**
 * RabbitMQ 4.3.6's equality of two field values, as its headers exchange compares them: Erlang
 * `=:=` on the values its parser produces, the type tag dropped at the top level.
 * - All integer widths, and timestamp, are Erlang integers: equal when the numbers are equal.
 * - float and double are Erlang floats: float 1.5 = double 1.5, float 0.1 != double 0.1 (a float
 *   is its exact 32-bit value); -0.0 != 0.0 (Erlang/OTP 27+ `=:=`, checked on 4.3.6).
 * - An integer never equals a float/double (1 != 1.0).
 * - longstr and bytes are both Erlang binaries: equal when the bytes are ("1" = bytes "1").
 * - bool only equals bool, void only void, decimal only decimal with the same places and digits.
 * - Inside arrays each element is `{Type, Value}` and inside tables each entry is
 *   `{Key, Type, Value}`, so nested values must have the same type atom too (see erlangTypeName:
 *   byte 1 != long 1 and longstr "a" != bytes "a" inside an array) and tables the same keys in
 *   the same order.
 * The headers exchange also multiplies a timestamp *header* by 1000 before comparing; that
 * belongs to routing (see headers.ts), not to this equality.
 */
export function fieldValuesEqual(a: FieldValue, b: FieldValue): boolean {
  const ia = integerOf(a);
  if (ia !== undefined) {
    const ib = integerOf(b);
    return ib !== undefined && integersEqual(ia, ib);
  }
  const fa = floatOf(a);
  if (fa !== undefined) {
    const fb = floatOf(b);
    return fb !== undefined && Object.is(fa, fb);
  }
  switch (a.type) {
    case 'longstr':
      if (b.type === 'longstr') return sameUtf8(a.value, b.value);
      return b.type === 'bytes' && utf8Equals(a.value, b.value);
    case 'bytes':
      if (b.type === 'bytes') return bytesEqual(a.value, b.value);
      return b.type === 'longstr' && utf8Equals(b.value, a.value);
    case 'bool':
      return b.type === 'bool' && a.value === b.value;
    case 'void':
      return b.type === 'void';
    case 'decimal':
      return b.type === 'decimal' && a.value.places === b.value.places && a.value.digits === b.value.digits;
    case 'array': {
      if (b.type !== 'array' || a.value.length !== b.value.length) return false;
      for (let i = 0; i < a.value.length; i++) {
        const x = a.value[i]!;
        const y = b.value[i]!;
        if (erlangTypeName(x.type) !== erlangTypeName(y.type) || !fieldValuesEqual(x, y)) return false;
      }
      return true;
    }
    case 'table': {
      if (b.type !== 'table') return false;
      return fieldTablesEqual(a.value, b.value);
    }
    default:
      return false;
  }
}

/**
 * Equality of two tables as RabbitMQ compares a nested table (a list of `{Key, Type, Value}`):
 * same keys in the same order, same type atoms, equal values.
 */
export function fieldTablesEqual(a: FieldTable, b: FieldTable): boolean {
  const ka = Object.keys(a);
  const kb = Object.keys(b);
  if (ka.length !== kb.length) return false;
  for (let i = 0; i < ka.length; i++) {
    if (ka[i] !== kb[i]) return false;
    const x = a[ka[i]!]!;
    const y = b[kb[i]!]!;
    if (erlangTypeName(x.type) !== erlangTypeName(y.type) || !fieldValuesEqual(x, y)) return false;
  }
  return true;
}

// ------------------------------------------------------------------------------ human text ---

/** A double as text that shows it is one: 1 -> "1.0", -0 -> "-0.0", 0.5 -> "0.5". */
function doubleText(n: number): string {
  if (Object.is(n, -0)) return '-0.0';
  const s = String(n);
  return /^-?\d+$/.test(s) ? `${s}.0` : s;
}

function decimalText(places: number, digits: number): string {
  const s = String(digits);
  if (places <= 0) return s;
  const padded = s.padStart(places + 1, '0');
  return `${padded.slice(0, padded.length - places)}.${padded.slice(padded.length - places)}`;
}

const strictUtf8 = new TextDecoder('utf-8', { fatal: true });

function keyText(k: string): string {
  return /^[A-Za-z0-9_.-]+$/.test(k) ? k : JSON.stringify(k);
}

/**
 * Short human text for a value, naming the type where plain JS would not show it:
 * `"eu"`, `5` (the type amqplib would pick for 5 anyway), `5 (long)`, `1.5`, `1.0 (double)`,
 * `1.5 (float)`, `1700000000 (timestamp)`, `1.5 (decimal)`, `true`, `void`, `[1, 2]`,
 * `{a: 1}`, `bytes "abc"` (or `bytes <01 ff>` when not UTF-8 text).
 */
export function formatFieldValue(v: FieldValue): string {
  switch (v.type) {
    case 'longstr':
      return JSON.stringify(v.value);
    case 'bytes': {
      try {
        const text = strictUtf8.decode(v.value);
        if (!/[\u0000-\u0008\u000e-\u001f\u007f]/.test(text)) return `bytes ${JSON.stringify(text)}`;
      } catch {
        // not UTF-8: show the bytes
      }
      return `bytes <${Array.from(v.value, (b) => b.toString(16).padStart(2, '0')).join(' ')}>`;
    }
    case 'bool':
      return String(v.value);
    case 'void':
      return 'void';
    case 'double': {
      const text = doubleText(v.value);
      return typeof v.value === 'number' && inferredNumberType(v.value) === 'double' && !Number.isNaN(v.value) ? text : `${text} (double)`;
    }
    case 'float':
      return `${doubleText(Math.fround(v.value))} (float)`;
    case 'timestamp':
      return `${v.value} (timestamp)`;
    case 'decimal':
      return `${decimalText(v.value.places, v.value.digits)} (decimal)`;
    case 'array':
      return `[${v.value.map(formatFieldValue).join(', ')}]`;
    case 'table':
      return `{${Object.keys(v.value)
        .map((k) => `${keyText(k)}: ${formatFieldValue(v.value[k]!)}`)
        .join(', ')}}`;
    default: {
      const n = v.value;
      const plain = typeof n === 'number' && Number.isSafeInteger(n) && inferredNumberType(n) === v.type;
      return plain ? String(n) : `${String(n)} (${v.type})`;
    }
  }
}

// ------------------------------------------------------------------------------ JSON form ---

const B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

/** Standard base64 (with padding) of `bytes`. */
export function base64Encode(bytes: Uint8Array): string {
  let out = '';
  let i = 0;
  for (; i + 2 < bytes.length; i += 3) {
    const n = (bytes[i]! << 16) | (bytes[i + 1]! << 8) | bytes[i + 2]!;
    out += B64[n >> 18]! + B64[(n >> 12) & 63]! + B64[(n >> 6) & 63]! + B64[n & 63]!;
  }
  if (i < bytes.length) {
    const n = (bytes[i]! << 16) | ((bytes[i + 1] ?? 0) << 8);
    out += B64[n >> 18]! + B64[(n >> 12) & 63]! + (i + 1 < bytes.length ? B64[(n >> 6) & 63]! : '=') + '=';
  }
  return out;
}

/** Bytes of base64 text, leniently like Node's Buffer.from(s, 'base64'): URL-safe letters too, other characters skipped. */
export function base64Decode(text: string): Uint8Array {
  const out: number[] = [];
  let acc = 0;
  let bits = 0;
  for (const ch of text) {
    if (ch === '=') break;
    let v = B64.indexOf(ch);
    if (ch === '-') v = 62;
    else if (ch === '_') v = 63;
    if (v < 0) continue;
    acc = (acc << 6) | v;
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out.push((acc >> bits) & 0xff);
    }
  }
  return Uint8Array.from(out);
}

/** Would fieldValueFromJSON read this plain object as `{"$TYPE": v}` rather than as a table? */
function looksTyped(o: Record<string, unknown>): boolean {
  const keys = Object.keys(o);
  return keys.length === 1 && keys[0]!.startsWith('$');
}

function numberJSON(n: number): number | string {
  if (Object.is(n, -0)) return '-0';
  if (!Number.isFinite(n)) return String(n);
  return n;
}

/**
 * The lossless JSON form of a value (the notation of the oracle's FORMAT.md, "Field-table
 * values"): plain JSON where amqplib's inference gives back the same type (string, boolean,
 * null, an integer whose smallest type it is, a non-integral double, array, object), otherwise
 * `{"$TYPE": v}`: `{"$long": 1}`, `{"$double": 1}`, `{"$double": "-0"}`, `{"$float": 1.5}`,
 * `{"$timestamp": n}`, `{"$bytes": base64}`, `{"$decimal": {"places", "digits"}}`, a long beyond
 * 2^53 as a decimal string. Extensions for values the oracle notation cannot write: a table whose
 * only key starts with `$` is `{"$table": {...}}`, an unsignedlong is `{"$unsignedlong": n}`.
 */
export function fieldValueToJSON(v: FieldValue): unknown {
  switch (v.type) {
    case 'longstr':
    case 'bool':
      return v.value;
    case 'void':
      return null;
    case 'bytes':
      return { $bytes: base64Encode(v.value) };
    case 'double':
      return typeof v.value === 'number' && Number.isFinite(v.value) && !Object.is(v.value, -0) && inferredNumberType(v.value) === 'double'
        ? v.value
        : { $double: numberJSON(v.value) };
    case 'float':
      return { $float: numberJSON(Math.fround(v.value)) };
    case 'timestamp':
      return { $timestamp: v.value };
    case 'decimal':
      return { $decimal: { places: v.value.places, digits: v.value.digits } };
    case 'array':
      return v.value.map(fieldValueToJSON);
    case 'table': {
      const o = fieldTableToJSON(v.value);
      return looksTyped(o) ? { $table: o } : o;
    }
    default: {
      const n = v.value;
      if (typeof n === 'bigint' || !Number.isSafeInteger(n)) return { [`$${v.type}`]: String(n) };
      return v.type !== 'unsignedlong' && inferredNumberType(n) === v.type ? n : { [`$${v.type}`]: n };
    }
  }
}

/** The lossless JSON form of a table (see fieldValueToJSON); keys kept as they are, `__proto__` included. */
export function fieldTableToJSON(t: FieldTable): Record<string, unknown> {
  const o: Record<string, unknown> = {};
  for (const k of Object.keys(t)) setOwn(o, k, fieldValueToJSON(t[k]!));
  return o;
}

/** Turns the JSON notation into what amqplib takes (`{'!': TYPE, value}`, Uint8Array for bytes). */
function amqplibInput(json: unknown): unknown {
  if (json === null || typeof json !== 'object') return json;
  if (Array.isArray(json)) return json.map(amqplibInput);
  const o = json as Record<string, unknown>;
  const keys = Object.keys(o);
  if (keys.length === 1 && keys[0]!.startsWith('$')) {
    const t = keys[0]!.slice(1);
    const v = o[keys[0]!];
    if (t === 'bytes') return base64Decode(String(v));
    if (t === 'table') return tableInput(v);
    if (t === 'unsignedlong') return { '!': 'unsignedlong', value: v };
    if ((t === 'double' || t === 'float') && typeof v === 'string') return { '!': t, value: Number(v) };
    return { '!': t, value: amqplibInput(v) };
  }
  return tableInput(o);
}

/**
 * A table in the JSON notation as amqplib takes it (`{'!': TYPE, value}` for forced types,
 * Uint8Array for bytes): what the worker's simulated clients publish and declare with.
 */
export function fieldTableToAmqplib(json: unknown): Record<string, unknown> {
  return tableInput(json);
}

function tableInput(json: unknown): Record<string, unknown> {
  const out: Record<string, unknown> = Object.create(null) as Record<string, unknown>;
  if (json === null || typeof json !== 'object') return out;
  for (const k of Object.keys(json)) out[k] = amqplibInput((json as Record<string, unknown>)[k]);
  return out;
}

/**
 * A value from its JSON form (the inverse of fieldValueToJSON, and the reader of oracle
 * scenarios' arguments and headers): plain JSON gets amqplib's inference, `{"$TYPE": v}` forces
 * TYPE (any amqplib type name; a float/double may be a string such as "-0"), `{"$bytes": base64}`,
 * `{"$decimal": {"places", "digits"}}`, `{"$table": {...}}`. Errors are toFieldValue's.
 */
export function fieldValueFromJSON(json: unknown): FieldValue {
  return new Encoder(true).value(amqplibInput(json));
}

/** A table from its JSON form (see fieldValueFromJSON); the top level is always a table. */
export function fieldTableFromJSON(json: unknown): FieldTable {
  return new Encoder(true).table(tableInput(json));
}

// ------------------------------------------------------------------ Erlang view and ~tp ---

/** An Erlang term, enough of it for the values RabbitMQ holds for AMQP 0-9-1 fields. */
export type ErlangTerm =
  | { kind: 'integer'; value: number | bigint }
  | { kind: 'float'; value: number }
  | { kind: 'atom'; value: string }
  | { kind: 'binary'; value: Uint8Array }
  | { kind: 'list'; value: ErlangTerm[] }
  | { kind: 'tuple'; value: ErlangTerm[] };

const atom = (value: string): ErlangTerm => ({ kind: 'atom', value });

/**
 * The Erlang term RabbitMQ holds as this field's value (rabbit_binary_parser): integers and
 * timestamps are integers, float/double are floats, longstr/bytes are binaries, bool is
 * true/false, void is `undefined`, decimal is `{Places, Digits}`, an array is a list of
 * `{Type, Value}`, a table a list of `{Key, Type, Value}` (Type as in erlangTypeName).
 */
export function erlangTermOf(v: FieldValue): ErlangTerm {
  switch (v.type) {
    case 'longstr':
      return { kind: 'binary', value: utf8Encoder.encode(v.value) };
    case 'bytes':
      return { kind: 'binary', value: v.value };
    case 'bool':
      return atom(v.value ? 'true' : 'false');
    case 'void':
      return atom('undefined');
    case 'float':
      return { kind: 'float', value: Math.fround(v.value) };
    case 'double':
      return { kind: 'float', value: v.value };
    case 'decimal':
      return {
        kind: 'tuple',
        value: [
          { kind: 'integer', value: v.value.places },
          { kind: 'integer', value: v.value.digits },
        ],
      };
    case 'timestamp':
      return { kind: 'integer', value: v.value };
    case 'array':
      return { kind: 'list', value: v.value.map((e) => ({ kind: 'tuple', value: [atom(erlangTypeName(e.type)), erlangTermOf(e)] })) };
    case 'table':
      return {
        kind: 'list',
        value: Object.keys(v.value).map((k) => {
          const e = v.value[k]!;
          return { kind: 'tuple', value: [{ kind: 'binary', value: utf8Encoder.encode(k) }, atom(erlangTypeName(e.type)), erlangTermOf(e)] };
        }),
      };
    default:
      return { kind: 'integer', value: v.value };
  }
}

/**
 * Erlang's float text (`float_to_list(F, [short])`, which `~p` uses): the shortest digits that
 * read back as the same float, in fixed or scientific form by OTP's rule (erts ryu/to_chars.h):
 * 1.0, 0.1, 100.0, 1.0e3, 0.0001, 1.0e-5, 123456789.123, 9.007199254740992e15, -0.0.
 */
export function erlangFloatText(x: number): string {
  if (x === 0) return Object.is(x, -0) ? '-0.0' : '0.0';
  if (!Number.isFinite(x)) return String(x); // not an Erlang float; never reaches RabbitMQ
  const sign = x < 0 ? '-' : '';
  const [mant, exp] = Math.abs(x).toExponential().split('e') as [string, string];
  const digits = mant.replace('.', '');
  const olength = digits.length;
  const sciExp = Number(exp);
  const ryuExp = sciExp - (olength - 1); // value = DIGITS x 10^ryuExp
  let lower: number;
  let upper: number;
  if (olength === 1) {
    lower = -4;
    upper = 2;
  } else {
    lower = -(olength + 2);
    upper = sciExp >= 10 ? 2 : 1;
  }
  let fixed = lower <= ryuExp && ryuExp <= upper;
  if (fixed) {
    const output = BigInt(digits);
    if (
      (output >= 1n << 53n && ryuExp === 0) ||
      (output > (1n << 52n) / 5n && ryuExp === 1) ||
      (output > (1n << 51n) / 25n && ryuExp === 2)
    ) {
      fixed = false;
    }
  }
  if (!fixed) return `${sign}${digits[0]}.${olength > 1 ? digits.slice(1) : '0'}e${sciExp}`;
  if (ryuExp >= 0) return `${sign}${digits}${'0'.repeat(ryuExp)}.0`;
  const whole = olength + ryuExp;
  if (whole > 0) return `${sign}${digits.slice(0, whole)}.${digits.slice(whole)}`;
  return `${sign}0.${'0'.repeat(-whole)}${digits}`;
}

/** io_lib's intermediate form: flat text (atomic), a byte-list binary, a list or a tuple. */
type Pretty =
  | { k: 'text'; s: string; len: number }
  | { k: 'bin'; parts: string[]; len: number }
  | { k: 'list'; items: Pretty[]; len: number }
  | { k: 'tuple'; tagged: boolean; items: Pretty[]; len: number };

function isPrintableChar(c: number): boolean {
  return (
    c === 0x0a || c === 0x0d || c === 0x09 || c === 0x0b || c === 0x08 || c === 0x0c || c === 0x1b ||
    (c >= 0x20 && c <= 0x7e) ||
    (c >= 0xa0 && c < 0xd800) ||
    (c > 0xdfff && c < 0xfffe) ||
    (c > 0xffff && c <= 0x10ffff)
  );
}

function isPrintableLatin1(c: number): boolean {
  return c === 0x0a || c === 0x0d || c === 0x09 || c === 0x0b || c === 0x08 || c === 0x0c || c === 0x1b || (c >= 0x20 && c <= 0x7e) || (c >= 0xa0 && c <= 0xff);
}

/** One UTF-8 character as Erlang's `<<C/utf8>>` reads it (no overlongs, no surrogates), or null. */
function utf8CharAt(b: Uint8Array, i: number): { c: number; n: number } | null {
  const x = b[i]!;
  if (x < 0x80) return { c: x, n: 1 };
  const cont = (k: number): number => {
    const y = b[i + k];
    return y !== undefined && (y & 0xc0) === 0x80 ? y & 0x3f : -1;
  };
  if (x >= 0xc2 && x <= 0xdf) {
    const a = cont(1);
    return a < 0 ? null : { c: ((x & 0x1f) << 6) | a, n: 2 };
  }
  if (x >= 0xe0 && x <= 0xef) {
    const a = cont(1);
    const d = cont(2);
    if (a < 0 || d < 0) return null;
    const c = ((x & 0x0f) << 12) | (a << 6) | d;
    return c < 0x800 || (c >= 0xd800 && c <= 0xdfff) ? null : { c, n: 3 };
  }
  if (x >= 0xf0 && x <= 0xf4) {
    const a = cont(1);
    const d = cont(2);
    const e = cont(3);
    if (a < 0 || d < 0 || e < 0) return null;
    const c = ((x & 0x07) << 18) | (a << 12) | (d << 6) | e;
    return c < 0x10000 || c > 0x10ffff ? null : { c, n: 4 };
  }
  return null;
}

const ESCAPES: Record<number, string> = { 0x0a: '\\n', 0x0d: '\\r', 0x09: '\\t', 0x0b: '\\v', 0x08: '\\b', 0x0c: '\\f', 0x1b: '\\e', 0x22: '\\"', 0x5c: '\\\\' };

/** io_lib:write_string(Chars, $"): the quoted string (only printable characters reach here). */
function erlangString(chars: number[]): string {
  let s = '"';
  for (const c of chars) s += ESCAPES[c] ?? String.fromCodePoint(c);
  return `${s}"`;
}

/** A binary the way `~tp` prints it under RabbitMQ (printable range unicode): text, text/utf8 or bytes. */
function binaryPretty(b: Uint8Array): Pretty {
  if (b.length === 0) return { k: 'text', s: '<<>>', len: 4 };
  // io_lib_pretty:printable_bin/5: UTF-8 characters while printable; invalid UTF-8 -> latin1 check.
  const chars: number[] = [];
  let form: 'text' | 'utf8' | 'bytes' = 'text';
  for (let i = 0; i < b.length; ) {
    const ch = utf8CharAt(b, i);
    if (ch === null) {
      form = b.every(isPrintableLatin1) ? 'text' : 'bytes';
      chars.length = 0;
      chars.push(...b);
      break;
    }
    if (!isPrintableChar(ch.c)) {
      form = 'bytes';
      break;
    }
    if (ch.n > 1) form = 'utf8';
    chars.push(ch.c);
    i += ch.n;
  }
  if (form === 'bytes') {
    const parts = Array.from(b, (x) => String(x));
    return { k: 'bin', parts, len: 4 + parts.reduce((n, p) => n + p.length, 0) + parts.length - 1 };
  }
  const text = erlangString(chars);
  const s = form === 'utf8' ? `<<${text}/utf8>>` : `<<${text}>>`;
  return { k: 'text', s, len: [...s].length };
}

function prettyOf(t: ErlangTerm): Pretty {
  switch (t.kind) {
    case 'integer': {
      const s = String(t.value);
      return { k: 'text', s, len: s.length };
    }
    case 'float': {
      const s = erlangFloatText(t.value);
      return { k: 'text', s, len: s.length };
    }
    case 'atom':
      return { k: 'text', s: t.value, len: t.value.length };
    case 'binary':
      return binaryPretty(t.value);
    case 'list': {
      if (t.value.length === 0) return { k: 'text', s: '[]', len: 2 };
      const items = t.value.map(prettyOf);
      return { k: 'list', items, len: 2 + items.reduce((n, e) => n + e.len, 0) + items.length - 1 };
    }
    case 'tuple': {
      if (t.value.length === 0) return { k: 'text', s: '{}', len: 2 };
      const items = t.value.map(prettyOf);
      const tagged = t.value[0]!.kind === 'atom' && t.value.length > 1;
      return { k: 'tuple', tagged, items, len: 2 + items.reduce((n, e) => n + e.len, 0) + items.length - 1 };
    }
  }
}

function writeFlat(p: Pretty): string {
  switch (p.k) {
    case 'text':
      return p.s;
    case 'bin':
      return `<<${p.parts.join(',')}>>`;
    case 'list':
      return `[${p.items.map(writeFlat).join(',')}]`;
    case 'tuple':
      return `{${p.items.map(writeFlat).join(',')}}`;
  }
}

const NO_GOOD = Symbol('no_good');
const spaces = (n: number): string => ' '.repeat(Math.max(0, n));
const lastDepth = (rest: number, ld: number): number => (rest > 0 ? 0 : ld + 1);
const fitsFlat = (p: Pretty, col: number, ll: number, m: number, ld: number, w: number): boolean => p.len < ll - col - ld && p.len + w + ld <= m;
const tailFits = (e: Pretty, col: number, ll: number, m: number, ld1: number, w: number): boolean => {
  const eLen = 1 + e.len;
  if (e.k !== 'text') return false;
  return ld1 === 0 ? eLen + 1 < ll - col && w + eLen + 1 <= m : eLen < ll - col - ld1 && w + eLen + ld1 <= m;
};

/** io_lib_pretty:cind/7 and friends: the indentation tagged tuples may use, or NO_GOOD thrown. */
function cind(p: Pretty, col: number, ll: number, m: number, ind: number, ld: number, w: number): number {
  if (fitsFlat(p, col, ll, m, ld, w)) return ind;
  if (p.k === 'list' || (p.k === 'tuple' && !p.tagged)) return cindList(p.items, 0, col + 1, ll, m, ind, ld, w + 1);
  if (p.k === 'tuple') {
    const tlen = p.items[0]!.len;
    const tagInd = tlen + 2;
    const tcol = col + tagInd;
    if (ind > 0 && tagInd > ind) {
      const col1 = col + ind;
      if (m + col1 <= ll || col1 <= Math.floor(ll / 2)) return cindTail(p.items, 1, col1, tcol, ll, m, ind, ld, w + 1 + tlen);
      throw NO_GOOD;
    }
    if (m + tcol < ll || tcol < Math.floor(ll / 2)) return cindList(p.items, 1, tcol, ll, m, ind, ld, w + 1 + tlen + 1);
    throw NO_GOOD;
  }
  return ind;
}

function cindList(items: Pretty[], from: number, col0: number, ll: number, m: number, ind: number, ld: number, w: number): number {
  const we = cindElement(items[from]!, col0, ll, m, ind, lastDepth(items.length - from - 1, ld), w);
  return cindTail(items, from + 1, col0, col0 + we, ll, m, ind, ld, w + we);
}

function cindTail(items: Pretty[], from: number, col0: number, col: number, ll: number, m: number, ind: number, ld: number, w: number): number {
  for (let i = from; i < items.length; i++) {
    const e = items[i]!;
    const ld1 = lastDepth(items.length - i - 1, ld);
    if (tailFits(e, col, ll, m, ld1, w)) {
      col += 1 + e.len;
      w += 1 + e.len;
    } else {
      const we = cindElement(e, col0, ll, m, ind, ld1, 0);
      col = col0 + we;
      w = we;
    }
  }
  return ind;
}

function cindElement(e: Pretty, col: number, ll: number, m: number, ind: number, ld: number, w: number): number {
  if (fitsFlat(e, col, ll, m, ld, w) && e.k === 'text') return e.len;
  cind(e, col, ll, m, ind, ld, w);
  return ll;
}

/** io_lib_pretty:pp/8: `ind` is the indentation (in spaces) continuation lines get. */
function pp(p: Pretty, col: number, ll: number, m: number, tind: number, ind: number, ld: number, w: number): string {
  if (fitsFlat(p, col, ll, m, ld, w)) return writeFlat(p);
  switch (p.k) {
    case 'list':
      return `[${ppList(p.items, 0, col + 1, ll, m, tind, ind + 1, ld, w + 1)}]`;
    case 'tuple':
      if (!p.tagged) return `{${ppList(p.items, 0, col + 1, ll, m, tind, ind + 1, ld, w + 1)}}`;
      return `{${ppTagTuple(p.items, col, ll, m, tind, ind, ld, w + 1)}}`;
    case 'bin':
      return ppBinary(p.parts, col + 2, ll, m, ind + 2, ld, w);
    case 'text':
      return p.s;
  }
}

function ppTagTuple(items: Pretty[], col: number, ll: number, m: number, tind: number, ind: number, ld: number, w: number): string {
  const tag = items[0]!;
  const tlen = tag.len;
  const tagInd = tlen + 2;
  const tcol = col + tagInd;
  if (tind > 0 && tagInd > tind) {
    return writeFlat(tag) + ppTail(items, 1, col + tind, tcol, ll, m, tind, ind + tind, ld, w + tlen);
  }
  return `${writeFlat(tag)},${ppList(items, 1, tcol, ll, m, tind, ind + tagInd, ld, w + tlen + 1)}`;
}

function ppList(items: Pretty[], from: number, col0: number, ll: number, m: number, tind: number, ind: number, ld: number, w: number): string {
  const [es, we] = ppElement(items[from]!, col0, ll, m, tind, ind, lastDepth(items.length - from - 1, ld), w);
  return es + ppTail(items, from + 1, col0, col0 + we, ll, m, tind, ind, ld, w + we);
}

function ppTail(items: Pretty[], from: number, col0: number, col: number, ll: number, m: number, tind: number, ind: number, ld: number, w: number): string {
  let out = '';
  for (let i = from; i < items.length; i++) {
    const e = items[i]!;
    const ld1 = lastDepth(items.length - i - 1, ld);
    if (tailFits(e, col, ll, m, ld1, w)) {
      out += `,${writeFlat(e)}`;
      col += 1 + e.len;
      w += 1 + e.len;
    } else {
      const [es, we] = ppElement(e, col0, ll, m, tind, ind, ld1, 0);
      out += `,\n${spaces(ind)}${es}`;
      col = col0 + we;
      w = we;
    }
  }
  return out;
}

function ppElement(e: Pretty, col: number, ll: number, m: number, tind: number, ind: number, ld: number, w: number): [string, number] {
  if (fitsFlat(e, col, ll, m, ld, w) && e.k === 'text') return [writeFlat(e), e.len];
  return [pp(e, col, ll, m, tind, ind, ld, w), ll];
}

function ppBinary(parts: string[], col: number, ll: number, m: number, ind: number, ld: number, w: number): string {
  const n0 = Math.max(8, Math.min(ll - col, m - 4 - w) - ld);
  let n = n0;
  let out = '<<';
  for (let i = 0; i < parts.length - 1; i++) {
    const len = parts[i]!.length + 1;
    if (n - len < 0) {
      out += `\n${spaces(ind)}${parts[i]},`;
      n = n0 - len;
    } else {
      out += `${parts[i]},`;
      n -= len;
    }
  }
  const last = parts[parts.length - 1]!;
  out += last.length > n ? `\n${spaces(ind)}${last}` : last;
  return `${out}>>`;
}

/**
 * An Erlang term as `io_lib:format("~tp", ...)` prints it when the `~tp` starts at `column`
 * (1-based, counted from the start of the formatted text) with the default line length 80:
 * long lists and tuples break over lines indented to their column, as io_lib_pretty does.
 * Binaries print as `<<"text">>`, `<<"tëxt"/utf8>>` or `<<1,2,3>>` (RabbitMQ runs with the
 * unicode printable range).
 */
export function formatErlangTerm(term: ErlangTerm, column = 1, lineLength = 80): string {
  const col = Math.max(1, column);
  if (term.kind === 'atom' || term.kind === 'integer' || term.kind === 'float') return writeFlat(prettyOf(term));
  const p = prettyOf(term);
  const m = p.len;
  if (lineLength === 0 || p.len < lineLength - col) return writeFlat(p);
  let tind = 1;
  for (const candidate of [-1, 4]) {
    try {
      tind = cind(p, col, lineLength, m, candidate, 0, 0);
      break;
    } catch (e) {
      if (e !== NO_GOOD) throw e;
    }
  }
  return pp(p, col, lineLength, m, tind, col - 1, 0, 0);
}
