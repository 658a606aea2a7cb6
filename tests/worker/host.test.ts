import { describe, expect, it } from 'vitest';
import type { BrokerEvent, BrokerSnapshot, ExplainResult, WorkerMessage } from '../../src/worker/protocol';
import { createHost, type HostedBroker } from '../../src/worker/host';

const snapshot: BrokerSnapshot = {
  time: 0,
  vhosts: ['/'],
  exchanges: [
    { vhost: '/', name: 'amq.direct', type: 'direct', durable: true, auto_delete: false, internal: false, arguments: {} },
  ],
  queues: [],
  bindings: [],
  connections: [],
  channels: [],
  consumers: [],
};

const event = (queue: string): BrokerEvent => ({ type: 'queue.declared', queue, time: 0, vhost: '/' });

/** A broker double: `inspect` answers (or throws) as told; `emit` plays the observe stream. */
function fakeBroker(inspect: () => BrokerSnapshot = () => snapshot) {
  const listeners = new Set<(event: BrokerEvent) => void>();
  const broker: HostedBroker = {
    inspect,
    observe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
  return { broker, listeners, emit: (e: BrokerEvent) => listeners.forEach((listener) => listener(e)) };
}

function setup(inspect?: () => BrokerSnapshot) {
  const fake = fakeBroker(inspect);
  const posted: WorkerMessage[] = [];
  const scheduled: Array<() => void> = [];
  const host = createHost(fake.broker, { post: (m) => posted.push(m), schedule: (f) => scheduled.push(f) });
  return { ...fake, host, posted, scheduled };
}

describe('worker host', () => {
  it('answers inspect with the broker snapshot, matched by id', async () => {
    const { host, posted } = setup();
    await host.handle({ id: 7, type: 'inspect' });
    expect(posted).toEqual([{ id: 7, ok: true, result: snapshot }]);
  });

  it('answers an unknown command with an error, not silence', async () => {
    const { host, posted } = setup();
    await host.handle({ id: 1, type: 'launch-rockets' });
    expect(posted).toEqual([
      { id: 1, ok: false, error: { code: 'UNKNOWN_COMMAND', message: 'Unknown command: launch-rockets' } },
    ]);
  });

  it('ignores messages without an id (there is no one to answer)', async () => {
    const { host, posted } = setup();
    await host.handle(null);
    await host.handle('inspect');
    await host.handle({ type: 'inspect' });
    expect(posted).toEqual([]);
  });

  it('turns a thrown broker error into an error reply with its AMQP code', async () => {
    const { host, posted } = setup(() => {
      throw Object.assign(new Error("NOT_FOUND - no exchange 'x' in vhost '/'"), { code: 404 });
    });
    await host.handle({ id: 2, type: 'inspect' });
    expect(posted).toEqual([{ id: 2, ok: false, error: { code: 404, message: "NOT_FOUND - no exchange 'x' in vhost '/'" } }]);
  });

  it('batches events raised outside commands into one message per tick', () => {
    const { host, posted, scheduled, emit } = setup();
    emit(event('a'));
    emit(event('b'));
    expect(posted).toEqual([]);
    expect(scheduled).toHaveLength(1);
    scheduled[0]!();
    expect(posted).toEqual([{ type: 'events', events: [event('a'), event('b')] }]);
    emit(event('c'));
    expect(scheduled).toHaveLength(2);
    host.flush();
    expect(posted.at(-1)).toEqual({ type: 'events', events: [event('c')] });
    scheduled[1]!(); // Nothing left: no empty batch.
    expect(posted).toHaveLength(2);
  });

  it("posts a command's events before its reply", async () => {
    const fake = fakeBroker();
    const posted: WorkerMessage[] = [];
    const host = createHost(
      {
        ...fake.broker,
        inspect: () => {
          fake.emit(event('during'));
          return snapshot;
        },
      },
      { post: (m) => posted.push(m), schedule: () => {} },
    );
    await host.handle({ id: 3, type: 'inspect' });
    expect(posted).toEqual([
      { type: 'events', events: [event('during')] },
      { id: 3, ok: true, result: snapshot },
    ]);
  });

  it('answers with an error when the result cannot be posted', async () => {
    const posted: WorkerMessage[] = [];
    const host = createHost(fakeBroker().broker, {
      post: (m) => {
        if ('ok' in m && m.ok) throw new DOMException('could not be cloned', 'DataCloneError');
        posted.push(m);
      },
    });
    await host.handle({ id: 4, type: 'inspect' });
    expect(posted).toEqual([{ id: 4, ok: false, error: { code: 'DataCloneError', message: 'could not be cloned' } }]);
  });

  it('stops observing when disposed', () => {
    const { host, listeners } = setup();
    expect(listeners.size).toBe(1);
    host.dispose();
    expect(listeners.size).toBe(0);
  });
});

describe('worker host: explain', () => {
  /** Sends one explain command and returns its reply. */
  async function explain(params: Record<string, unknown>): Promise<WorkerMessage> {
    const { host, posted } = setup();
    await host.handle({ id: 9, type: 'explain', ...params });
    expect(posted).toHaveLength(1);
    return posted[0]!;
  }

  it("answers a topic explain with the core's alignment, the pattern's validity and examples", async () => {
    const reply = await explain({ kind: 'topic', bindingKey: '*.orange.*', routingKey: 'quick.orange' });
    expect(reply).toMatchObject({ id: 9, ok: true });
    const result = (reply as { result: ExplainResult }).result;
    expect(result.kind).toBe('topic');
    if (result.kind !== 'topic') return;
    expect(result.explanation.matched).toBe(false);
    expect(result.explanation.patternWords).toEqual(['*', 'orange', '*']);
    expect(result.explanation.reason).toBe('the binding key needs 3 words and "quick.orange" has 2');
    expect(result.valid).toBeNull();
    expect(result.examples.matching[0]).toBe('quick.orange.rabbit');
    expect(structuredClone(result)).toEqual(result);
  });

  it("carries RabbitMQ's refusal of a pattern with three #", async () => {
    const reply = await explain({ kind: 'topic', bindingKey: '#.#.#', routingKey: 'a' });
    const result = (reply as { result: ExplainResult }).result;
    expect(result.kind === 'topic' && result.valid).toMatch(/uses 3 '#' wildcards, at most 2 are allowed/);
  });

  it('answers a headers explain with one row per binding argument, values as text with their types', async () => {
    const reply = await explain({
      kind: 'headers',
      bindingArguments: { 'x-match': 'any', format: 'pdf', size: { $long: 2 }, 'x-trace': 'on' },
      headers: { format: 'zip', size: 2 },
    });
    expect(reply).toMatchObject({ id: 9, ok: true });
    const result = (reply as { result: ExplainResult }).result;
    if (result.kind !== 'headers') throw new Error('not a headers result');
    expect(result.xMatch).toBe('any');
    expect(result.matched).toBe(true);
    expect(result.valid).toBeNull();
    expect(result.rows.map((row) => [row.key, row.verdict])).toEqual([
      ['x-match', 'ignored'],
      ['format', 'mismatch'],
      ['size', 'match'],
      ['x-trace', 'ignored'],
    ]);
    expect(result.rows[1]!.binding).toEqual({ text: '"pdf"', type: 'longstr' });
    expect(result.rows[2]!.binding.type).toBe('long');
    expect(structuredClone(result)).toEqual(result);
  });

  it("carries RabbitMQ's refusal of an unknown x-match", async () => {
    const reply = await explain({ kind: 'headers', bindingArguments: { 'x-match': 'ALL' }, headers: {} });
    const result = (reply as { result: ExplainResult }).result;
    expect(result.kind === 'headers' && result.valid).toMatch(/Invalid x-match field value/);
  });

  it('answers bad explain params with a request error', async () => {
    for (const params of [
      { kind: 'topic', bindingKey: 1, routingKey: 'a' },
      { kind: 'topic' },
      { kind: 'headers', bindingArguments: [], headers: {} },
      { kind: 'headers', bindingArguments: {} },
      { kind: 'regex' },
      {},
    ]) {
      const reply = await explain(params);
      expect(reply, JSON.stringify(params)).toMatchObject({ id: 9, ok: false, error: { code: 'BAD_REQUEST' } });
    }
  });

  it('explains without a simulation (a bare broker is enough)', async () => {
    const reply = await explain({ kind: 'topic', bindingKey: 'lazy.#', routingKey: 'lazy' });
    expect(reply).toMatchObject({ ok: true, result: { kind: 'topic', explanation: { matched: true } } });
  });
});

describe('worker host: explanations from a real broker', () => {
  async function realHost() {
    const { createBroker } = await import('../../src/broker/index');
    const { flush } = await import('../broker/support/replay');
    const broker = createBroker();
    const posted: WorkerMessage[] = [];
    const host = createHost(broker, { post: (m) => posted.push(m), schedule: () => {} });
    const conn = await broker.connect();
    const ch = await conn.createChannel();
    await ch.assertExchange('orders', 'topic', { durable: false });
    await ch.assertQueue('eu', { durable: false });
    await ch.assertQueue('us', { durable: false });
    await ch.bindQueue('eu', 'orders', 'orders.*.eu');
    await ch.bindQueue('us', 'orders', 'orders.*.us');
    const answer = async (command: Record<string, unknown>) => {
      posted.length = 0;
      await host.handle({ id: 1, ...command });
      const reply = posted.find((m) => 'id' in m);
      if (!reply || !('ok' in reply)) throw new Error('no reply');
      return reply;
    };
    return { broker, ch, flush, answer };
  }

  it("tells a message's journey and why it missed a queue, from the journal", async () => {
    const { ch, flush, answer } = await realHost();
    ch.publish('orders', 'orders.new.big.eu', Buffer.from('x'));
    ch.publish('orders', 'orders.new.eu', Buffer.from('x'));
    await flush();
    const journey = await answer({ type: 'journey', messageId: 2 });
    expect(journey).toMatchObject({ ok: true, result: { messageId: 2, routingKey: 'orders.new.eu' } });
    const why = await answer({ type: 'whyNot', messageId: 1, queue: 'eu' });
    expect(why.ok).toBe(true);
    const [route] = (why as { result: { arrived: boolean; summary: string }[] }).result;
    expect(route!.arrived).toBe(false);
    expect(route!.summary).toContain('needs 3 words and "orders.new.big.eu" has 4');
    expect(await answer({ type: 'journey', messageId: 99 })).toEqual({ id: 1, ok: true, result: null });
  });

  it('answers a what-if without publishing, and lists what a queue holds', async () => {
    const { broker, answer } = await realHost();
    const whatIf = await answer({ type: 'whatIf', exchange: 'orders', routingKey: 'orders.a.us' });
    expect(whatIf).toMatchObject({ ok: true, result: { outcome: 'routed', queues: [{ queue: 'us', result: 'enqueued' }] } });
    expect(broker.inspect().queues.every((q) => q.messages === 0)).toBe(true);
    expect(await answer({ type: 'queueMessages', queue: 'us' })).toEqual({ id: 1, ok: true, result: [] });
    const missing = await answer({ type: 'whatIf', exchange: 'nope', routingKey: 'k' });
    expect(missing).toMatchObject({ ok: false, error: { code: 404, message: expect.stringContaining("no exchange 'nope' in vhost '/'") } });
  });

  it('analyses a diagram, naming bindings by their document ids', async () => {
    const { answer } = await realHost();
    const diagram = {
      version: 1,
      nodes: [
        { id: 'x', kind: 'exchange', name: 'd', type: 'direct', durable: true, autoDelete: false, internal: false, arguments: {}, position: { x: 0, y: 0 } },
        { id: 'q', kind: 'queue', name: 'q', durable: true, exclusive: false, autoDelete: false, arguments: {}, position: { x: 0, y: 0 } },
      ],
      bindings: [{ id: 'b1', source: 'x', destination: { kind: 'queue', id: 'q' }, routingKey: 'orders.*', arguments: {} }],
    };
    const reply = await answer({ type: 'analyze', diagram });
    expect(reply.ok).toBe(true);
    const findings = (reply as { result: { code: string; bindings: string[] }[] }).result;
    expect(findings.find((f) => f.code === 'direct-wildcard')?.bindings).toEqual(['b1']);
  });
});
