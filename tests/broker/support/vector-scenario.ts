/**
 * Runs one `scenarios` entry of ../shared/semantics/vectors.json (format: that file's
 * `meta.fieldMeanings.scenario`) through the broker's public, amqplib-shaped API and reports
 * every difference from its `expect` as a list of strings (empty = the broker did what RabbitMQ
 * does). It never throws for a broker misbehaviour, so a test can print all mismatches at once.
 *
 * One connection and one channel carry `setup` then `steps`, in order. After each op the wire is
 * drained (a `setTimeout(0)`), so deliveries, returns and confirms reach the client before the
 * next op. An op with `expectError` must fail with that reply code and scope; the runner then
 * opens a fresh channel (channel scope) or a fresh connection and channel (connection scope),
 * as a client would. `closeChannel` closes the channel (its unacked deliveries go back) and
 * opens a new one of the same kind (plain or confirm).
 *
 * The expectations read after the steps: `queues` (ready messages left, drained with basic.get
 * on a separate channel), `deliveries` per consumer tag, `returns` (none when not listed: only
 * mandatory publishes can come back), `confirms` per body,
 * `headers` / `delivery` / `properties` of a drained message ("queue/body"), `queuesExist`.
 * Strings in angle brackets ("<timestamp, seconds>") are placeholders matching any value of
 * that kind. Header values are compared as amqplib decodes them: every integer width is a JS
 * number (a bigint compares by value), a timestamp is `{'!': 'timestamp', value}`.
 */

import { createBroker, type AmqplibMessage, type Broker, type Channel, type ConfirmChannel, type Connection } from '../../../src/broker/index';

/* eslint-disable @typescript-eslint/no-explicit-any */
type Op = Record<string, any>;
export interface VectorScenario {
  id: string;
  title?: string;
  setup?: Op[];
  steps?: Op[];
  expect?: Record<string, any>;
  [key: string]: unknown;
}

/** Lets every frame already on the wire reach the client (no simulated time passes). */
const drain = () => new Promise<void>((resolve) => setTimeout(resolve, 0));

const textOf = (content: Uint8Array) => new TextDecoder().decode(content);

// ------------------------------------------------------------------------ value comparison ---

/** `"<timestamp, seconds>"`, `"<any>"`, …: a placeholder for any value of that kind. */
function placeholder(v: unknown): string | null {
  return typeof v === 'string' && /^<[^<>]+>$/.test(v) ? v.slice(1, -1) : null;
}

/** A timestamp as amqplib decodes it (`{'!': 'timestamp', value}`), or a bare number. */
function isTimestamp(v: unknown): boolean {
  if (typeof v === 'number' || typeof v === 'bigint') return true;
  return !!v && typeof v === 'object' && (v as any)['!'] === 'timestamp' && typeof (v as any).value === 'number';
}

function matchesPlaceholder(kind: string, actual: unknown): boolean {
  if (actual === undefined) return false;
  if (/timestamp|time/i.test(kind)) return isTimestamp(actual);
  if (/^(number|integer|count)/i.test(kind)) return typeof actual === 'number' || typeof actual === 'bigint';
  if (/^string/i.test(kind)) return typeof actual === 'string';
  return true;
}

/** Does the decoded header value `actual` satisfy the expected JSON value? */
export function valueMatches(expected: unknown, actual: unknown): boolean {
  const ph = placeholder(expected);
  if (ph !== null) return matchesPlaceholder(ph, actual);
  if (expected === null) return actual === null;
  if (typeof expected === 'number') {
    if (typeof actual === 'bigint') return BigInt(expected) === actual;
    return typeof actual === 'number' && Object.is(actual, expected) ? true : actual === expected;
  }
  if (typeof expected === 'string' || typeof expected === 'boolean') return actual === expected;
  if (Array.isArray(expected)) {
    return Array.isArray(actual) && actual.length === expected.length && expected.every((e, i) => valueMatches(e, actual[i]));
  }
  if (typeof expected === 'object') {
    if (!actual || typeof actual !== 'object' || Array.isArray(actual) || actual instanceof Uint8Array) return false;
    const ek = Object.keys(expected as object).sort();
    const ak = Object.keys(actual as object).sort();
    return ek.length === ak.length && ek.every((k, i) => k === ak[i] && valueMatches((expected as any)[k], (actual as any)[k]));
  }
  return false;
}

/** A short printable form of a decoded value, for mismatch texts. */
export function show(v: unknown): string {
  if (v === undefined) return 'undefined';
  return JSON.stringify(v, (_k, x) => {
    if (typeof x === 'bigint') return `${x}n`;
    if (x instanceof Uint8Array) return { bytes: textOf(x) };
    if (x && typeof x === 'object' && x.type === 'Buffer' && Array.isArray(x.data)) return { bytes: textOf(Uint8Array.from(x.data)) };
    return x;
  });
}

const HEADER_SPEC_KEYS = new Set(['equals', 'present', 'absent', 'x-death', 'x-death-absent-fields']);

/**
 * Checks a message's decoded headers against a spec: `{equals, present, absent, x-death,
 * x-death-absent-fields}`. A get's `expect.headers` may also be a plain table (each key compared
 * like `equals`, `x-death` entries on their listed fields).
 */
export function checkHeaders(where: string, spec: Record<string, any>, headers: Record<string, unknown> | undefined): string[] {
  const out: string[] = [];
  const h = headers ?? {};
  const has = (k: string) => Object.prototype.hasOwnProperty.call(h, k);
  const equals: Record<string, unknown> = { ...(spec.equals ?? {}) };
  for (const [k, v] of Object.entries(spec)) if (!HEADER_SPEC_KEYS.has(k)) equals[k] = v;
  for (const [k, v] of Object.entries(equals)) {
    if (!has(k)) out.push(`${where}: header ${k} expected ${show(v)}, absent`);
    else if (!valueMatches(v, h[k])) out.push(`${where}: header ${k} expected ${show(v)}, got ${show(h[k])}`);
  }
  for (const k of spec.present ?? []) if (!has(k)) out.push(`${where}: header ${k} expected present, absent (headers ${show(headers)})`);
  for (const k of spec.absent ?? []) if (has(k)) out.push(`${where}: header ${k} expected absent, got ${show(h[k])}`);
  const deaths = h['x-death'];
  if (spec['x-death'] !== undefined) {
    const want = spec['x-death'] as Record<string, unknown>[];
    if (!Array.isArray(deaths)) out.push(`${where}: x-death expected ${want.length} entries, got ${show(deaths)}`);
    else {
      if (deaths.length !== want.length) out.push(`${where}: x-death expected ${want.length} entries, got ${deaths.length}: ${show(deaths)}`);
      want.forEach((entry, i) => {
        const got = deaths[i] as Record<string, unknown> | undefined;
        if (!got || typeof got !== 'object') return;
        for (const [field, v] of Object.entries(entry)) {
          if (!Object.prototype.hasOwnProperty.call(got, field)) out.push(`${where}: x-death[${i}].${field} expected ${show(v)}, absent`);
          else if (!valueMatches(v, got[field])) out.push(`${where}: x-death[${i}].${field} expected ${show(v)}, got ${show(got[field])}`);
        }
      });
    }
  }
  for (const field of spec['x-death-absent-fields'] ?? []) {
    if (!Array.isArray(deaths)) {
      out.push(`${where}: x-death expected (to check that ${field} is absent), got ${show(deaths)}`);
      continue;
    }
    deaths.forEach((d, i) => {
      if (d && typeof d === 'object' && Object.prototype.hasOwnProperty.call(d, field)) {
        out.push(`${where}: x-death[${i}].${field} expected absent, got ${show((d as any)[field])}`);
      }
    });
  }
  return out;
}

// ---------------------------------------------------------------------------------- runner ---

interface Received {
  msg: AmqplibMessage;
  channel: Channel;
  settled: boolean;
}

interface Failure {
  code: number | undefined;
  scope: 'channel' | 'connection';
  message: string;
}

/** Runs `s` on `broker` (a fresh one by default); returns every mismatch, empty when all held. */
export async function runVectorScenario(s: VectorScenario, broker: Broker = createBroker()): Promise<string[]> {
  const mismatches: string[] = [];
  const fail = (m: string) => mismatches.push(m);

  let conn!: Connection;
  let connError: { code?: number; message: string } | null = null;
  let ch!: Channel;
  let confirmMode = false;
  let chError: { code?: number; message: string } | null = null;
  let chClosed = false;

  const savedNames = new Map<string, string>();
  const tags = new Map<string, Received>();
  const deliveries = new Map<string, Received[]>();
  const returns: { body: string; replyCode: unknown; replyText: unknown; exchange: unknown; routingKey: unknown }[] = [];
  const confirms = new Map<string, string>();
  const unexpectedConfirmErrors: string[] = [];

  const name = (v: unknown): string => {
    if (v && typeof v === 'object' && 'ref' in v) {
      const ref = String((v as { ref: unknown }).ref);
      return savedNames.get(ref) ?? ref;
    }
    return v === undefined || v === null ? '' : String(v);
  };

  async function openConnection(): Promise<void> {
    conn = await broker.connect();
    connError = null;
    const mine = conn;
    mine.on('error', (e: any) => {
      if (conn === mine) connError = { code: e?.code, message: String(e?.message ?? e) };
    });
  }

  async function openChannel(): Promise<void> {
    const c: Channel = confirmMode ? await conn.createConfirmChannel() : await conn.createChannel();
    ch = c;
    chError = null;
    chClosed = false;
    c.on('error', (e: any) => {
      if (ch === c) chError = { code: e?.code, message: String(e?.message ?? e) };
    });
    c.on('close', () => {
      if (ch === c) chClosed = true;
    });
    c.on('return', (m: AmqplibMessage) => {
      returns.push({
        body: textOf(m.content),
        replyCode: m.fields.replyCode,
        replyText: m.fields.replyText,
        exchange: m.fields.exchange,
        routingKey: m.fields.routingKey,
      });
    });
  }

  /** After a failure (or to be safe after any op): a usable connection and channel again. */
  async function recover(): Promise<void> {
    if (connError) {
      await openConnection();
      await openChannel();
    } else if (chClosed || chError) {
      await openChannel();
    }
  }

  function bodyOf(op: Op): Uint8Array {
    return new TextEncoder().encode(String(op.body ?? ''));
  }

  function publishOptions(op: Op): Record<string, unknown> {
    const o: Record<string, unknown> = {};
    const p = op.properties ?? {};
    for (const [k, v] of Object.entries(p)) if (v !== undefined) o[k] = v;
    if (o.priority !== undefined) o.priority = Number(o.priority);
    if (o.expiration !== undefined && o.expiration !== null) o.expiration = String(o.expiration);
    if (op.mandatory) o.mandatory = true;
    return o;
  }

  /** The message an ack/nack/reject names: a `tagAs` name, or `{consumerTag, body}`. */
  function findTagged(where: string, tag: unknown): Received | undefined {
    if (typeof tag === 'string') {
      const r = tags.get(tag);
      if (!r) fail(`${where}: no message tagged ${tag}`);
      return r;
    }
    if (tag && typeof tag === 'object') {
      const { consumerTag, body } = tag as { consumerTag: string; body: string };
      const list = deliveries.get(consumerTag) ?? [];
      const candidates = list.filter((r) => textOf(r.msg.content) === body);
      const r = [...candidates].reverse().find((x) => !x.settled && x.channel === ch) ?? candidates[candidates.length - 1];
      if (!r) fail(`${where}: consumer ${consumerTag} never received ${body} (got ${show(list.map((x) => textOf(x.msg.content)))})`);
      return r;
    }
    fail(`${where}: bad tag ${show(tag)}`);
    return undefined;
  }

  function markSettled(r: Received, multiple: boolean): void {
    r.settled = true;
    if (!multiple) return;
    const upTo = Number(r.msg.fields.deliveryTag);
    const all = [...tags.values(), ...[...deliveries.values()].flat()];
    for (const x of all) if (x.channel === r.channel && Number(x.msg.fields.deliveryTag) <= upTo) x.settled = true;
  }

  function checkGot(where: string, expect: any, msg: AmqplibMessage | false): void {
    if (expect === 'empty') {
      if (msg) fail(`${where}: expected get-empty, got ${show(textOf(msg.content))}`);
      return;
    }
    if (!msg) {
      fail(`${where}: expected ${show(expect.body)}, got get-empty`);
      return;
    }
    const body = textOf(msg.content);
    if (expect.body !== undefined && body !== expect.body) fail(`${where}: expected body ${show(expect.body)}, got ${show(body)}`);
    if (expect.redelivered !== undefined && msg.fields.redelivered !== expect.redelivered) {
      fail(`${where}: ${body} expected redelivered=${expect.redelivered}, got ${show(msg.fields.redelivered)}`);
    }
    if (expect.messageCount !== undefined && msg.fields.messageCount !== expect.messageCount) {
      fail(`${where}: ${body} expected messageCount=${expect.messageCount}, got ${show(msg.fields.messageCount)}`);
    }
    if (expect.headers !== undefined) {
      mismatches.push(...checkHeaders(`${where} ${body}`, expect.headers, msg.properties.headers as Record<string, unknown> | undefined));
    }
  }

  async function queueExists(q: string): Promise<boolean | string> {
    const probe = await conn.createChannel();
    probe.on('error', () => {});
    try {
      await probe.checkQueue(q);
      await probe.close();
      return true;
    } catch (e: any) {
      await drain();
      return e?.code === 404 ? false : `checkQueue(${q}) failed: ${e?.message ?? e}`;
    }
  }

  /** Runs one op; an AMQP failure is returned (not thrown) for expectError handling. */
  async function perform(where: string, op: Op): Promise<void> {
    switch (op.op) {
      case 'declareExchange':
        await ch.assertExchange(name(op.name), op.type, {
          durable: op.durable ?? false,
          autoDelete: op.autoDelete ?? false,
          internal: op.internal ?? false,
          arguments: op.arguments ?? {},
        });
        return;
      case 'deleteExchange':
        await ch.deleteExchange(name(op.name), { ifUnused: op.ifUnused ?? false });
        return;
      case 'declareQueue': {
        const r = await ch.assertQueue(name(op.name), {
          durable: op.durable ?? false,
          exclusive: op.exclusive ?? false,
          autoDelete: op.autoDelete ?? false,
          arguments: op.arguments ?? {},
        });
        if (op.saveNameAs !== undefined) savedNames.set(op.saveNameAs, r.queue);
        if (op.expectNameRegex !== undefined && !new RegExp(op.expectNameRegex).test(r.queue)) {
          fail(`${where}: queue name ${show(r.queue)} does not match /${op.expectNameRegex}/`);
        }
        if (op.name !== '' && op.name !== undefined && typeof op.name === 'string' && r.queue !== op.name) {
          fail(`${where}: declare-ok names ${show(r.queue)}, expected ${show(op.name)}`);
        }
        return;
      }
      case 'deleteQueue':
        await ch.deleteQueue(name(op.name ?? op.queue));
        return;
      case 'bindQueue':
        await ch.bindQueue(name(op.queue), name(op.exchange), name(op.routingKey), op.arguments ?? {});
        return;
      case 'unbindQueue':
        await ch.unbindQueue(name(op.queue), name(op.exchange), name(op.routingKey), op.arguments ?? {});
        return;
      case 'bindExchange':
        await ch.bindExchange(name(op.destination), name(op.source), name(op.routingKey), op.arguments ?? {});
        return;
      case 'unbindExchange':
        await ch.unbindExchange(name(op.destination), name(op.source), name(op.routingKey), op.arguments ?? {});
        return;
      case 'publish': {
        const body = String(op.body ?? '');
        if (confirmMode) {
          (ch as ConfirmChannel).publish(name(op.exchange), name(op.routingKey), bodyOf(op), publishOptions(op), (err) => {
            if (!err) confirms.set(body, 'ack');
            else if (/nack/i.test(err.message)) confirms.set(body, 'nack');
            else {
              confirms.set(body, `error: ${err.message}`);
              unexpectedConfirmErrors.push(body);
            }
          });
        } else {
          ch.publish(name(op.exchange), name(op.routingKey), bodyOf(op), publishOptions(op));
        }
        return;
      }
      case 'confirmSelect':
        if (!confirmMode) {
          confirmMode = true;
          // Start afresh in confirm mode (amqplib's createConfirmChannel); the old channel has
          // nothing pending in the scenarios that switch, and closing it requeues its unacked.
          const old = ch;
          await openChannel();
          await old.close().catch(() => {});
        }
        return;
      case 'qos':
        await ch.prefetch(op.prefetchCount ?? 0, op.globalFlag ?? false);
        return;
      case 'consume': {
        const c = ch;
        const r = await c.consume(
          name(op.queue),
          (msg) => {
            if (msg === null) return;
            const tag = String(msg.fields.consumerTag);
            if (!deliveries.has(tag)) deliveries.set(tag, []);
            deliveries.get(tag)!.push({ msg, channel: c, settled: !!op.noAck });
          },
          { consumerTag: op.consumerTag, noAck: op.noAck ?? false, exclusive: op.exclusive ?? false, arguments: op.arguments ?? {} },
        );
        if (op.consumerTag !== undefined && r.consumerTag !== op.consumerTag) {
          fail(`${where}: consume-ok tag ${show(r.consumerTag)}, expected ${show(op.consumerTag)}`);
        }
        if (!deliveries.has(r.consumerTag)) deliveries.set(r.consumerTag, []);
        return;
      }
      case 'cancel':
        await ch.cancel(op.consumerTag);
        return;
      case 'get': {
        const noAck = op.noAck ?? false;
        const msg = await ch.get(name(op.queue), { noAck });
        if (op.expect !== undefined) checkGot(where, op.expect, msg);
        if (op.tagAs !== undefined) {
          if (msg) tags.set(op.tagAs, { msg, channel: ch, settled: noAck });
          else fail(`${where}: nothing to tag as ${op.tagAs}`);
        }
        return;
      }
      case 'ack':
      case 'nack':
      case 'reject': {
        const r = findTagged(where, op.tag);
        if (!r) return;
        const multiple = op.multiple ?? false;
        const requeue = op.requeue ?? true;
        if (op.op === 'ack') ch.ack(r.msg, multiple);
        else if (op.op === 'nack') ch.nack(r.msg, multiple, requeue);
        else ch.reject(r.msg, requeue);
        markSettled(r, op.op !== 'reject' && multiple);
        return;
      }
      case 'closeChannel':
        await ch.close();
        await drain();
        await openChannel();
        return;
      case 'advanceTime':
        broker.advance(op.ms ?? 0);
        return;
      case 'assertDeliveries': {
        await drain();
        const got = (deliveries.get(op.consumerTag) ?? []).map((r) => textOf(r.msg.content));
        if (!valueMatches(op.bodies, got)) fail(`${where}: consumer ${op.consumerTag} expected ${show(op.bodies)} so far, got ${show(got)}`);
        return;
      }
      case 'assertQueueExists': {
        await drain();
        const exists = await queueExists(name(op.queue));
        if (typeof exists === 'string') fail(`${where}: ${exists}`);
        else if (exists !== op.exists) fail(`${where}: queue ${op.queue} expected ${op.exists ? 'to exist' : 'not to exist'}, it ${exists ? 'does' : 'does not'}`);
        return;
      }
      default:
        throw new Error(`unknown scenario op ${show(op.op)}`);
    }
  }

  /** Runs an op, drains the wire, and checks it failed (or not) as `expectError` says. */
  async function runOp(where: string, op: Op): Promise<void> {
    let thrown: any = null;
    try {
      await perform(where, op);
    } catch (e) {
      thrown = e;
    }
    await drain();
    if (thrown instanceof Error && /^unknown scenario op/.test(thrown.message)) {
      fail(`${where}: ${thrown.message}`);
      return;
    }
    let failure: Failure | null = null;
    if (connError) failure = { code: connError.code, scope: 'connection', message: connError.message };
    else if (chError) failure = { code: chError.code, scope: 'channel', message: chError.message };
    else if (thrown) failure = { code: thrown.code, scope: 'channel', message: String(thrown.message ?? thrown) };
    const want = op.expectError as { code: number; name?: string; scope?: string } | undefined;
    if (want) {
      if (!failure) fail(`${where}: ${op.op} expected to fail with ${want.code} ${want.name ?? ''} (${want.scope ?? 'channel'}), it succeeded`);
      else {
        if (failure.code !== want.code) fail(`${where}: ${op.op} expected reply code ${want.code} ${want.name ?? ''}, got ${failure.code}: ${failure.message}`);
        if ((want.scope ?? 'channel') !== failure.scope) fail(`${where}: ${op.op} expected a ${want.scope ?? 'channel'} error, got a ${failure.scope} error: ${failure.message}`);
      }
    } else if (failure) {
      fail(`${where}: ${op.op} failed unexpectedly: ${failure.message}`);
    }
    if (failure || chClosed) await recover();
  }

  // ---- run ----

  await openConnection();
  await openChannel();
  for (const [i, op] of (s.setup ?? []).entries()) await runOp(`setup[${i}] ${op.op}`, op);
  for (const [i, op] of (s.steps ?? []).entries()) await runOp(`steps[${i}] ${op.op}`, op);
  await drain();

  // ---- expectations ----

  const expect = s.expect ?? {};

  if (expect.deliveries) {
    for (const [tag, want] of Object.entries(expect.deliveries as Record<string, { body: string; redelivered?: boolean }[]>)) {
      const got = deliveries.get(tag) ?? [];
      const gotBodies = got.map((r) => textOf(r.msg.content));
      if (!valueMatches(want.map((w) => w.body), gotBodies)) {
        fail(`deliveries[${tag}]: expected ${show(want.map((w) => w.body))}, got ${show(gotBodies)}`);
        continue;
      }
      want.forEach((w, i) => {
        if (w.redelivered !== undefined && got[i]!.msg.fields.redelivered !== w.redelivered) {
          fail(`deliveries[${tag}][${i}] ${w.body}: expected redelivered=${w.redelivered}, got ${show(got[i]!.msg.fields.redelivered)}`);
        }
      });
    }
  }

  if (!expect.returns && returns.length > 0) fail(`returns: expected none, got ${show(returns)}`);
  if (expect.returns) {
    const want = expect.returns as Record<string, unknown>[];
    if (want.length !== returns.length) fail(`returns: expected ${show(want)}, got ${show(returns)}`);
    else {
      want.forEach((w, i) => {
        for (const [k, v] of Object.entries(w)) {
          const got = (returns[i] as Record<string, unknown>)[k];
          if (!valueMatches(v, got)) fail(`returns[${i}].${k}: expected ${show(v)}, got ${show(got)}`);
        }
      });
    }
  }

  if (expect.confirms) {
    for (const [body, want] of Object.entries(expect.confirms as Record<string, string>)) {
      const got = confirms.get(body);
      if (got !== want) fail(`confirms[${body}]: expected ${want}, got ${got ?? 'no confirm'}`);
    }
  }

  // Drain every queue an expectation names, on a channel of its own, in basic.get order.
  const perMessage = ['headers', 'delivery', 'properties'] as const;
  const toDrain = new Set<string>(Object.keys(expect.queues ?? {}));
  for (const key of perMessage) for (const qb of Object.keys(expect[key] ?? {})) toDrain.add(qb.slice(0, qb.lastIndexOf('/')));
  const drained = new Map<string, AmqplibMessage[]>();
  if (toDrain.size > 0) {
    if (connError) await openConnection();
    let reader: Channel | null = null;
    for (const q of toDrain) {
      if (!reader) {
        reader = await conn.createChannel();
        reader.on('error', () => {});
      }
      const msgs: AmqplibMessage[] = [];
      try {
        for (let n = 0; n < 10000; n++) {
          const m = await reader.get(q, { noAck: true });
          if (!m) break;
          msgs.push(m);
        }
        drained.set(q, msgs);
      } catch (e: any) {
        fail(`queue ${q}: could not be read: ${e?.message ?? e}`);
        await drain();
        reader = null;
      }
    }
  }

  for (const [q, want] of Object.entries((expect.queues ?? {}) as Record<string, string[]>)) {
    const got = drained.get(q);
    if (!got) continue;
    const bodies = got.map((m) => textOf(m.content));
    if (!valueMatches(want, bodies)) fail(`queues[${q}]: expected ${show(want)}, got ${show(bodies)}`);
  }

  const messageAt = (key: string, qb: string): AmqplibMessage | undefined => {
    const slash = qb.lastIndexOf('/');
    const q = qb.slice(0, slash);
    const body = qb.slice(slash + 1);
    const list = drained.get(q);
    if (!list) return undefined;
    const m = list.find((x) => textOf(x.content) === body);
    if (!m) fail(`${key}[${qb}]: no message ${show(body)} left in queue ${q}`);
    return m;
  };

  for (const [qb, spec] of Object.entries((expect.headers ?? {}) as Record<string, Record<string, any>>)) {
    const m = messageAt('headers', qb);
    if (m) mismatches.push(...checkHeaders(`headers[${qb}]`, spec, m.properties.headers as Record<string, unknown> | undefined));
  }

  for (const [qb, spec] of Object.entries((expect.delivery ?? {}) as Record<string, Record<string, unknown>>)) {
    const m = messageAt('delivery', qb);
    if (!m) continue;
    for (const [k, v] of Object.entries(spec)) {
      if (!valueMatches(v, m.fields[k])) fail(`delivery[${qb}].${k}: expected ${show(v)}, got ${show(m.fields[k])}`);
    }
  }

  for (const [qb, spec] of Object.entries((expect.properties ?? {}) as Record<string, Record<string, unknown>>)) {
    const m = messageAt('properties', qb);
    if (!m) continue;
    for (const [k, v] of Object.entries(spec)) {
      const got = m.properties[k];
      if (v === null) {
        if (got !== undefined && got !== null) fail(`properties[${qb}].${k}: expected absent, got ${show(got)}`);
      } else if (!valueMatches(v, got)) fail(`properties[${qb}].${k}: expected ${show(v)}, got ${show(got)}`);
    }
  }

  if (expect.queuesExist) {
    if (connError) await openConnection();
    for (const [q, want] of Object.entries(expect.queuesExist as Record<string, boolean>)) {
      const exists = await queueExists(name(q));
      if (typeof exists === 'string') fail(`queuesExist[${q}]: ${exists}`);
      else if (exists !== want) fail(`queuesExist[${q}]: expected ${want ? 'to exist' : 'not to exist'}, it ${exists ? 'does' : 'does not'}`);
    }
  }

  if (unexpectedConfirmErrors.length && !expect.confirms) {
    fail(`confirms: publishes ${show(unexpectedConfirmErrors)} ended without ack or nack`);
  }

  await conn.close().catch(() => {});
  return mismatches;
}
