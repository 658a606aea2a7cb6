/**
 * Replays an oracle scenario (../shared/oracle/FORMAT.md) against our broker through its
 * amqplib-shaped API, and reports what happened in the oracle's own `observed` shape, so a test
 * can compare it with what a real RabbitMQ 4.3.6 did. The oracle's real-time pauses become
 * microtask flushes; its `wait` steps advance the simulated clock.
 */

import { createBroker, type AmqplibMessage, type Broker, type Channel, type ConfirmChannel, type Connection } from '../../../src/broker/index';

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type Op = Record<string, any>;
export interface Scenario {
  name?: string;
  declare?: Op[];
  steps?: Op[];
  readout?: { queues?: (string | { ref: string })[]; waitMs?: number; bodiesOnly?: boolean; max?: number };
}
export type Observed = Record<string, any>;

/**
 * The oracle's vhost is `oracle.NAME.PID(7).MS(13).N(4)`; ours has the same length, so reply
 * texts that mention it are cut at 255 bytes in the same place.
 */
function vhostFor(scenario: Scenario): string {
  const name = String(scenario.name ?? 'scenario').replace(/[^A-Za-z0-9_.-]/g, '_');
  return `oracle.${name}.0000000.0000000000000.0000`;
}
let VHOST = '';

/** Lets every answer already on the wire reach the client (no simulated time passes). */
export const flush = () => new Promise<void>((resolve) => setTimeout(resolve, 0));

function toJson(v: unknown): Json {
  if (v === null || v === undefined) return null;
  if (v instanceof Uint8Array) return { $bytes: Buffer.from(v).toString('base64') };
  if (Array.isArray(v)) return v.map(toJson);
  if (typeof v === 'object') {
    if (Object.hasOwn(v, '!')) {
      const t = v as { '!': string; value: unknown };
      return { [`$${t['!']}`]: toJson(t.value) };
    }
    const o: Record<string, Json> = {};
    for (const k of Object.keys(v)) o[k] = toJson((v as Record<string, unknown>)[k]);
    return o;
  }
  if (typeof v === 'bigint') return Number(v);
  return v as Json;
}

/** Scenario JSON to amqplib field values: `{"$type": v}` becomes `{'!': type, value}`. */
export function fromJson(v: unknown): unknown {
  if (v === null || typeof v !== 'object') return v;
  if (Array.isArray(v)) return v.map(fromJson);
  const keys = Object.keys(v);
  if (keys.length === 1 && keys[0]!.startsWith('$')) {
    const t = keys[0]!.slice(1);
    const value = (v as Record<string, unknown>)[keys[0]!];
    if (t === 'bytes') return Buffer.from(String(value), 'base64');
    if ((t === 'double' || t === 'float') && typeof value === 'string') return { '!': t, value: Number(value) };
    return { '!': t, value: fromJson(value) };
  }
  const o: Record<string, unknown> = {};
  for (const k of keys) o[k] = fromJson((v as Record<string, unknown>)[k]);
  return o;
}

function normalizeHeaders(h: unknown): Json {
  if (!h) return null;
  const out = toJson(h) as Record<string, Json>;
  const deaths = out['x-death'];
  if (Array.isArray(deaths)) for (const d of deaths) if (d && typeof d === 'object' && 'time' in d) (d as Record<string, Json>).time = '<timestamp>';
  return out;
}

function bodyOf(content: Uint8Array): Json {
  const buf = Buffer.from(content);
  const s = buf.toString('utf8');
  return Buffer.from(s, 'utf8').equals(buf) ? s : { $bytes: buf.toString('base64') };
}

function describeMessage(msg: AmqplibMessage) {
  const props: Record<string, Json> = {};
  for (const [k, v] of Object.entries(msg.properties)) {
    if (v === undefined || k === 'headers') continue;
    props[k] = toJson(v);
  }
  return {
    body: bodyOf(msg.content),
    exchange: msg.fields.exchange as string,
    routingKey: msg.fields.routingKey as string,
    redelivered: msg.fields.redelivered as boolean,
    headers: normalizeHeaders(msg.properties.headers) ?? {},
    properties: props,
  };
}

function errInfo(e: unknown) {
  const err = e as { code?: number; message?: string };
  const message = String(err.message).replace(/\s+/g, ' ').trim().split(VHOST).join('<vhost>');
  return { code: err.code ?? null, message };
}

const REPLY_TO = /amq\.rabbitmq\.reply-to\.[^\s'"]+/g;
function maskNames(observed: Observed, generated: Set<string>): Observed {
  const names = [...generated].sort((a, b) => b.length - a.length);
  const fix = (s: string) => {
    for (const n of names) s = s.split(n).join(n.startsWith('amq.gen-') ? `amq.gen-${'*'.repeat(n.length - 8)}` : '*'.repeat(n.length));
    return s.replace(REPLY_TO, 'amq.rabbitmq.reply-to.<token>');
  };
  const walk = (v: unknown): unknown => {
    if (typeof v === 'string') return fix(v);
    if (Array.isArray(v)) return v.map(walk);
    if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [fix(k), walk(x)]));
    return v;
  };
  return walk(observed) as Observed;
}

interface ChannelEntry {
  ch: Channel | ConfirmChannel;
  closed: boolean;
  lastError: ReturnType<typeof errInfo> | null;
  conn: string;
  confirm: boolean;
}
type ConnectionEntry = Connection & { closedFlag?: boolean };

const DECL_OPS = new Set(['exchange', 'queue', 'bindQueue', 'bindExchange', 'unbindQueue', 'unbindExchange', 'deleteQueue', 'deleteExchange', 'purgeQueue']);

/** Runs `scenario` on a fresh broker (or the one given) and returns what it observed. */
export async function replayScenario(scenario: Scenario, broker: Broker = createBroker()): Promise<Observed> {
  VHOST = vhostFor(scenario);
  broker.addVhost(VHOST);
  const observed: Observed = { declarations: [], steps: [], returns: [], readout: {}, unacked: [] };
  const conns = new Map<string, ConnectionEntry>();
  const connErrors: Record<string, Json>[] = [];
  const chans = new Map<string, ChannelEntry>();
  const chanConn = new Map<string, string>();
  const chanConfirm = new Map<string, boolean>();
  const held = new Map<string, { chName: string; msg: AmqplibMessage; queue: string }>();
  const consumers = new Map<string, { chName: string; tag: string | null; active: boolean; msgs: AmqplibMessage[]; list: Json[] }>();
  const aliases = new Map<string, string>();
  const generated = new Set<string>();
  const declaredQueues: string[] = [];
  let pub: ChannelEntry | null = null;
  let currentPublish: number | null = null;
  let where = 'connect';

  const nm = (v: unknown): string => {
    if (v && typeof v === 'object' && 'ref' in v) {
      const ref = (v as { ref: string }).ref;
      if (!aliases.has(ref)) throw new Error(`no queue declared as ${ref}`);
      return aliases.get(ref)!;
    }
    return v as string;
  };

  async function ensureConn(connName = 'default'): Promise<ConnectionEntry> {
    const c = conns.get(connName);
    if (c && !c.closedFlag) return c;
    const nc = (await broker.connect(`amqp://guest:guest@127.0.0.1:5672/${encodeURIComponent(VHOST)}`)) as ConnectionEntry;
    nc.on('error', (e: unknown) => connErrors.push({ at: where, ...(connName === 'default' ? {} : { connection: connName }), ...errInfo(e) }));
    nc.on('close', () => {
      nc.closedFlag = true;
    });
    conns.set(connName, nc);
    if (c) forgetChannels(connName);
    return nc;
  }

  function forgetChannels(connName: string, chName?: string) {
    const gone = (n: string) => (chName !== undefined ? n === chName : (chans.get(n)?.conn ?? chanConn.get(n) ?? 'default') === connName);
    for (const [l, e] of held) if (gone(e.chName)) held.delete(l);
    for (const c of consumers.values()) if (gone(c.chName)) c.active = false;
    for (const n of [...chans.keys()]) if (gone(n)) chans.delete(n);
    if (chName === undefined && pub && pub.conn === connName) pub = null;
  }

  function recordReturn(msg: AmqplibMessage) {
    (observed.returns as Json[]).push({
      publish: currentPublish,
      replyCode: msg.fields.replyCode as number,
      replyText: msg.fields.replyText as string,
      exchange: msg.fields.exchange as string,
      routingKey: msg.fields.routingKey as string,
      body: bodyOf(msg.content),
      headers: normalizeHeaders(msg.properties.headers) ?? {},
      properties: describeMessage(msg).properties,
    });
  }

  async function channel(chName = 'default'): Promise<Channel> {
    const connName = chanConn.get(chName) ?? 'default';
    const c = await ensureConn(connName);
    const ent = chans.get(chName);
    if (ent && !ent.closed) return ent.ch;
    const confirm = chanConfirm.get(chName) ?? false;
    const ch = confirm ? await c.createConfirmChannel() : await c.createChannel();
    const e: ChannelEntry = { ch, closed: false, lastError: null, conn: connName, confirm };
    ch.on('error', (err: unknown) => {
      e.lastError = errInfo(err);
    });
    ch.on('close', () => {
      e.closed = true;
    });
    ch.on('return', (msg: AmqplibMessage) => recordReturn(msg));
    chans.set(chName, e);
    return ch;
  }

  async function pubChannel(): Promise<ConfirmChannel> {
    const c = await ensureConn();
    if (pub && !pub.closed) return pub.ch as ConfirmChannel;
    const ch = await c.createConfirmChannel();
    const e: ChannelEntry = { ch, closed: false, lastError: null, conn: 'default', confirm: true };
    ch.on('error', (err: unknown) => {
      e.lastError = errInfo(err);
    });
    ch.on('close', () => {
      e.closed = true;
    });
    ch.on('return', (msg: AmqplibMessage) => recordReturn(msg));
    pub = e;
    return ch;
  }

  async function roundTrips() {
    const names = new Set([...consumers.values()].filter((c) => c.active).map((c) => c.chName));
    for (const n of names) {
      const e = chans.get(n);
      if (!e || e.closed) continue;
      try {
        await e.ch.checkExchange('amq.direct');
      } catch {
        /* closed meanwhile: its error is the step's */
      }
    }
  }
  async function settle() {
    await roundTrips();
    await flush();
    await roundTrips();
    await roundTrips();
  }

  async function declare(op: Op): Promise<Record<string, Json>> {
    const ch = await channel(op.channel ?? 'declare');
    switch (op.op) {
      case 'exchange':
        await ch.assertExchange(op.name, op.type ?? 'direct', {
          durable: op.durable ?? false,
          autoDelete: op.autoDelete ?? false,
          internal: op.internal ?? false,
          arguments: fromJson(op.arguments ?? {}) as Record<string, unknown>,
        });
        return {};
      case 'queue': {
        const r = await ch.assertQueue(op.name ?? '', {
          durable: op.durable ?? false,
          exclusive: op.exclusive ?? false,
          autoDelete: op.autoDelete ?? false,
          arguments: fromJson(op.arguments ?? {}) as Record<string, unknown>,
        });
        if (!declaredQueues.includes(r.queue)) declaredQueues.push(r.queue);
        if ((op.name ?? '') === '') generated.add(r.queue);
        if (op.as !== undefined) aliases.set(op.as, r.queue);
        return { queue: r.queue };
      }
      case 'bindQueue':
        await ch.bindQueue(nm(op.queue), op.exchange, nm(op.routingKey ?? ''), fromJson(op.arguments ?? {}) as Record<string, unknown>);
        return {};
      case 'bindExchange':
        await ch.bindExchange(op.destination, op.source, op.routingKey ?? '', fromJson(op.arguments ?? {}) as Record<string, unknown>);
        return {};
      case 'unbindQueue':
        await ch.unbindQueue(nm(op.queue), op.exchange, nm(op.routingKey ?? ''), fromJson(op.arguments ?? {}) as Record<string, unknown>);
        return {};
      case 'unbindExchange':
        await ch.unbindExchange(op.destination, op.source, op.routingKey ?? '', fromJson(op.arguments ?? {}) as Record<string, unknown>);
        return {};
      case 'deleteQueue': {
        const qn = nm(op.name);
        const r = await ch.deleteQueue(qn, { ifUnused: op.ifUnused ?? false, ifEmpty: op.ifEmpty ?? false });
        const i = declaredQueues.indexOf(qn);
        if (i >= 0) declaredQueues.splice(i, 1);
        return { messageCount: r.messageCount };
      }
      case 'deleteExchange':
        await ch.deleteExchange(op.name, { ifUnused: op.ifUnused ?? false });
        return {};
      case 'purgeQueue': {
        const r = await ch.purgeQueue(nm(op.name));
        return { messageCount: r.messageCount };
      }
      default:
        throw new Error(`unknown declaration op ${op.op}`);
    }
  }

  async function publish(i: number, p: Op): Promise<Record<string, Json>> {
    const named = p.channel !== undefined;
    const ch = named ? await channel(p.channel) : await pubChannel();
    const ent = (named ? chans.get(p.channel) : pub)!;
    const props: Record<string, unknown> = { ...(p.properties ?? {}) };
    if (props.headers) props.headers = fromJson(props.headers);
    if (p.mandatory) props.mandatory = true;
    const body = typeof p.body === 'object' && p.body !== null && p.body.$bytes ? Buffer.from(p.body.$bytes, 'base64') : Buffer.from(String(p.body ?? ''), 'utf8');
    currentPublish = i;
    const routingKey = nm(p.routingKey ?? '');
    if (named && !ent.confirm) {
      ch.publish(p.exchange ?? '', routingKey, body, props);
      await ch.checkExchange('amq.direct');
      return {};
    }
    const confirm = await new Promise<string | { error: Json }>((resolve) => {
      try {
        (ch as ConfirmChannel).publish(p.exchange ?? '', routingKey, body, props, (err) => resolve(err ? 'nack' : 'ack'));
      } catch (e) {
        resolve({ error: errInfo(e) });
      }
    });
    if (typeof confirm === 'object') return { confirm: 'error', error: confirm.error };
    if (confirm === 'nack') {
      await flush();
      if (ent.closed || ent.lastError) return { confirm: 'channel-closed', error: ent.lastError };
    }
    return { confirm };
  }

  function delivery(label: string, n: number | undefined) {
    const cons = consumers.get(label);
    if (!cons) throw new Error(`no consumer labelled ${label}`);
    const msg = cons.msgs[(n ?? 1) - 1];
    if (!msg) throw new Error(`consumer ${label} has no delivery ${n ?? 1}`);
    return { cons, msg };
  }

  function settleMessage(ch: Channel, op: string, msg: AmqplibMessage, multiple: boolean, requeue: boolean) {
    if (op === 'ack') ch.ack(msg, multiple);
    else if (op === 'nack') ch.nack(msg, multiple, requeue);
    else ch.reject(msg, requeue);
  }

  function forgetHeldUpTo(chName: string, tag: number) {
    for (const [l, e] of held) if (e.chName === chName && (e.msg.fields.deliveryTag as number) <= tag) held.delete(l);
  }

  async function step(i: number, s: Op): Promise<Record<string, Json>> {
    const op = s.op as string;
    if (DECL_OPS.has(op)) return declare(s);
    switch (op) {
      case 'publish':
        return publish(i, s);
      case 'wait':
        broker.advance(s.ms ?? 0);
        await flush();
        return {};
      case 'get': {
        const chName = s.channel ?? 'default';
        const ch = await channel(chName);
        const mode = s.ack ?? 'ack';
        const msg = await ch.get(nm(s.queue), { noAck: mode === 'noAck' });
        if (!msg) return { message: null };
        if (mode === 'ack') ch.ack(msg);
        if (mode === 'hold') held.set(s.label ?? `get${i}`, { chName, msg, queue: nm(s.queue) });
        return { message: describeMessage(msg), messageCount: msg.fields.messageCount as number };
      }
      case 'ack':
      case 'nack':
      case 'reject': {
        const multiple = s.multiple ?? false;
        const requeue = s.requeue ?? true;
        if (s.consumer !== undefined) {
          const { cons, msg } = delivery(s.consumer, s.n);
          const ch = await channel(cons.chName);
          settleMessage(ch, op, msg, multiple, requeue);
          if (multiple) forgetHeldUpTo(cons.chName, msg.fields.deliveryTag as number);
          await ch.checkExchange('amq.direct');
          return {};
        }
        const ent = held.get(s.label);
        if (!ent) throw new Error(`no held message labelled ${s.label}`);
        const ch = await channel(ent.chName);
        settleMessage(ch, op, ent.msg, multiple, requeue);
        if (multiple) forgetHeldUpTo(ent.chName, ent.msg.fields.deliveryTag as number);
        else held.delete(s.label);
        await (await channel(ent.chName)).checkQueue(ent.queue);
        return {};
      }
      case 'recover': {
        const chName = s.channel ?? 'default';
        const ch = await channel(chName);
        await ch.recover();
        for (const [l, e] of held) if (e.chName === chName) held.delete(l);
        return {};
      }
      case 'closeChannel': {
        const chName = s.channel ?? 'default';
        const ent = chans.get(chName);
        if (ent && !ent.closed) await ent.ch.close();
        for (const [l, e] of held) if (e.chName === chName) held.delete(l);
        for (const c of consumers.values()) if (c.chName === chName) c.active = false;
        return {};
      }
      case 'count': {
        const ch = await channel(s.channel ?? 'default');
        const r = await ch.checkQueue(nm(s.queue));
        return { messageCount: r.messageCount, consumerCount: r.consumerCount };
      }
      case 'connection':
        await ensureConn(s.name);
        return {};
      case 'closeConnection': {
        const connName = s.connection ?? 'default';
        const c = conns.get(connName);
        if (c && !c.closedFlag) {
          await c.close();
          c.closedFlag = true;
        }
        forgetChannels(connName);
        return {};
      }
      case 'channel': {
        const ent = chans.get(s.name);
        if (ent && !ent.closed) throw new Error(`channel ${s.name} is already open`);
        chanConn.set(s.name, s.connection ?? 'default');
        chanConfirm.set(s.name, s.confirm ?? false);
        const ch = await channel(s.name);
        if (s.prefetch !== undefined) await ch.prefetch(s.prefetch, s.global ?? false);
        return {};
      }
      case 'prefetch': {
        const ch = await channel(s.channel ?? 'default');
        await ch.prefetch(s.count ?? 0, s.global ?? false);
        return {};
      }
      case 'consume': {
        const label = s.label as string;
        if (!label) throw new Error('consume needs a label');
        if (consumers.has(label)) throw new Error(`consumer label ${label} already used`);
        const chName = s.channel ?? 'default';
        const ch = await channel(chName);
        const cons = { chName, tag: null as string | null, active: false, msgs: [] as AmqplibMessage[], list: [] as Json[] };
        consumers.set(label, cons);
        const o: Record<string, unknown> = { noAck: s.noAck ?? false, exclusive: s.exclusive ?? false, arguments: fromJson(s.arguments ?? {}) };
        if (s.priority !== undefined) o.priority = s.priority;
        if (s.consumerTag !== undefined) o.consumerTag = s.consumerTag;
        const ok = await ch.consume(
          nm(s.queue),
          (msg) => {
            if (msg === null) {
              cons.list.push({ serverCancel: true });
              cons.active = false;
              return;
            }
            cons.msgs.push(msg);
            cons.list.push({ deliveryTag: msg.fields.deliveryTag as number, ...describeMessage(msg) });
          },
          o,
        );
        cons.tag = ok.consumerTag;
        cons.active = true;
        return {};
      }
      case 'cancel': {
        const cons = consumers.get(s.consumer);
        if (!cons) throw new Error(`no consumer labelled ${s.consumer}`);
        const ch = await channel(cons.chName);
        cons.active = false;
        await ch.cancel(cons.tag!);
        return {};
      }
      case 'reply': {
        const { msg } = delivery(s.consumer, s.n);
        const properties = { ...(s.properties ?? {}) };
        if (properties.correlationId === undefined && msg.properties.correlationId !== undefined) properties.correlationId = msg.properties.correlationId;
        return publish(i, {
          exchange: '',
          routingKey: msg.properties.replyTo ?? '',
          body: s.body,
          properties,
          mandatory: s.mandatory,
          ...(s.channel !== undefined ? { channel: s.channel } : {}),
        });
      }
      default:
        throw new Error(`unknown step op ${op}`);
    }
  }

  const conn = await ensureConn();
  for (const [i, d] of (scenario.declare ?? []).entries()) {
    where = `declare[${i}]`;
    try {
      const r = await declare(d);
      observed.declarations.push({ i, op: d.op, ok: true, ...r });
    } catch (e) {
      observed.declarations.push({ i, op: d.op, ok: false, error: errInfo(e) });
      await flush();
    }
  }
  for (const [i, s] of (scenario.steps ?? []).entries()) {
    where = `steps[${i}]`;
    try {
      const r = await step(i, s);
      observed.steps.push({ i, op: s.op, ...(s.label ? { label: s.label } : {}), ...(s.consumer ? { consumer: s.consumer } : {}), ...r });
    } catch (e) {
      observed.steps.push({ i, op: s.op, ok: false, error: errInfo(e) });
      await flush();
    }
    if (consumers.size) await settle();
  }

  where = 'readout';
  const ro = scenario.readout ?? {};
  if (ro.waitMs) {
    broker.advance(ro.waitMs);
    await flush();
    if (consumers.size) await settle();
  }
  const readoutConn = await ensureConn();
  void conn;
  const queues = (ro.queues ?? declaredQueues).map(nm);
  let rch: (Channel & { closedFlag?: boolean }) | null = null;
  for (const q of queues) {
    if (!rch || rch.closedFlag) {
      rch = await readoutConn.createChannel();
      rch.on('error', () => {});
      const c = rch;
      rch.on('close', () => {
        c.closedFlag = true;
      });
    }
    try {
      const before = (await rch.checkQueue(q)).messageCount;
      const messages: Json[] = [];
      for (let n = 0; n < (ro.max ?? 100000); n++) {
        const msg = await rch.get(q, { noAck: false });
        if (!msg) break;
        rch.ack(msg);
        messages.push(ro.bodiesOnly ? bodyOf(msg.content) : describeMessage(msg));
      }
      observed.readout[q] = { messageCount: before, messages };
    } catch (e) {
      observed.readout[q] = { error: errInfo(e) };
      await flush();
    }
  }
  observed.unacked = [...held.keys()];
  if (consumers.size) observed.deliveries = Object.fromEntries([...consumers].map(([l, c]) => [l, c.list]));
  if (connErrors.length) observed.connectionErrors = connErrors;
  for (const c of conns.values()) {
    try {
      if (!c.closedFlag) await c.close();
    } catch {
      /* already closed */
    }
  }
  return maskNames(observed, generated);
}
