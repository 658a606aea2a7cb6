/**
 * RabbitMQ tutorials 1, 3, 4 and 5, as amqplib programs (promise API and callback API), run
 * against createBroker().connect() and printing what the tutorials show.
 */

import { format } from 'node:util';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createBroker, type Broker } from '../../src/broker/index';
import * as cb from './tutorials/callback-api';
import * as promise from './tutorials/promise-api';
import { flush } from './support/replay';

let printed: string[] = [];
beforeEach(() => {
  printed = [];
  vi.spyOn(console, 'log').mockImplementation((...args: unknown[]) => {
    printed.push(format(...args));
  });
});
afterEach(() => {
  vi.restoreAllMocks();
});

/** Runs a callback-style program and resolves with the connection it hands back. */
function run(program: (done: (connection: any) => void) => void): Promise<any> {
  return new Promise((resolve) => program(resolve));
}

function queueRow(broker: Broker, name: string) {
  const q = broker.inspect().queues.find((row) => row.name === name);
  return q && [q.name, q.messages_ready, q.messages_unacknowledged, q.consumers, q.state];
}

describe('tutorial 1: hello world', () => {
  it('promise API: four sends leave 4 ready messages in the quorum queue hello; a receiver takes them', async () => {
    const broker = createBroker();
    for (let i = 0; i < 4; i++) await promise.send(broker);
    expect(printed).toEqual(Array(4).fill(' [x] Sent Hello World!'));
    expect(queueRow(broker, 'hello')).toEqual(['hello', 4, 0, 0, 'running']);
    expect(broker.inspect().queues.find((q) => q.name === 'hello')).toMatchObject({ type: 'quorum', durable: true });

    printed = [];
    const receiver = await promise.receive(broker);
    await flush();
    expect(printed).toEqual([' [*] Waiting for messages in hello. To exit press CTRL+C', ...Array(4).fill(' [x] Received Hello World!')]);
    expect(queueRow(broker, 'hello')).toEqual(['hello', 0, 0, 1, 'running']);
    await receiver.close();
    expect(queueRow(broker, 'hello')).toEqual(['hello', 0, 0, 0, 'running']);
  });

  it('callback API: the classic transient hello queue, receiver started first', async () => {
    const broker = createBroker();
    const receiver = await run((done) => cb.receive(broker, done));
    const sender = await run((done) => cb.send(broker, done));
    await flush();
    expect(printed).toEqual([' [*] Waiting for messages in hello. To exit press CTRL+C', ' [x] Sent Hello World!', ' [x] Received Hello World!']);
    const hello = broker.inspect().queues.find((q) => q.name === 'hello')!;
    expect(hello).toMatchObject({ type: 'classic', durable: false, messages_ready: 0, consumers: 1 });
    expect(hello.deprecation).toMatch(/transient non-exclusive/);
    sender.close();
    receiver.close();
  });

  it('the two forms meet on a real broker as RabbitMQ says: a classic redeclare of the quorum hello is refused', async () => {
    const broker = createBroker();
    await promise.send(broker);
    const conn = await broker.connect();
    const ch = await conn.createChannel();
    const errors: string[] = [];
    ch.on('error', (e: Error) => errors.push(e.message));
    await expect(ch.assertQueue('hello', { durable: false })).rejects.toThrow(
      `Operation failed: QueueDeclare; 406 (PRECONDITION-FAILED) with message "PRECONDITION_FAILED - inequivalent arg 'durable' for queue 'hello' in vhost '/': received 'false' but current is 'true'"`,
    );
    expect(errors).toHaveLength(1);
  });
});

describe('tutorial 3: publish/subscribe', () => {
  for (const form of ['promise', 'callback'] as const) {
    it(`${form} API: every receiver gets every log through the fanout exchange logs`, async () => {
      const broker = createBroker();
      const receivers =
        form === 'promise'
          ? [await promise.receiveLogs(broker), await promise.receiveLogs(broker)]
          : [await run((d) => cb.receiveLogs(broker, d)), await run((d) => cb.receiveLogs(broker, d))];
      if (form === 'promise') await promise.emitLog(broker, ['info:', 'Hello', 'World!']);
      else await run((d) => cb.emitLog(broker, ['info:', 'Hello', 'World!'], d));
      await flush();
      const waiting = printed.filter((line) => line.startsWith(' [*]'));
      expect(waiting).toHaveLength(2);
      for (const line of waiting) expect(line).toMatch(/^ \[\*\] Waiting for messages in amq\.gen-[A-Za-z0-9_-]{22}\. To exit press CTRL\+C$/);
      expect(printed.filter((line) => !line.startsWith(' [*]'))).toEqual([' [x] Sent info: Hello World!', ' [x] info: Hello World!', ' [x] info: Hello World!']);

      const snapshot = broker.inspect();
      expect(snapshot.exchanges.find((x) => x.name === 'logs')).toMatchObject({ type: 'fanout', durable: false, auto_delete: false });
      const temp = snapshot.queues.filter((q) => q.name.startsWith('amq.gen-'));
      expect(temp).toHaveLength(2);
      for (const q of temp) expect(q).toMatchObject({ exclusive: true, consumers: 1, messages_ready: 0 });
      expect(snapshot.bindings.filter((b) => b.source_name === 'logs').map((b) => b.destination_name).sort()).toEqual(temp.map((q) => q.name).sort());

      for (const r of receivers) await r.close();
      expect(broker.inspect().queues.filter((q) => q.name.startsWith('amq.gen-'))).toHaveLength(0);
    });
  }
});

describe('tutorial 4: routing', () => {
  for (const form of ['promise', 'callback'] as const) {
    it(`${form} API: each receiver gets only the severities it bound`, async () => {
      const broker = createBroker();
      const start = (args: string[]) => (form === 'promise' ? promise.receiveLogsDirect(broker, args) : run((d) => cb.receiveLogsDirect(broker, args, d)));
      const emit = (args: string[]) => (form === 'promise' ? promise.emitLogDirect(broker, args) : run((d) => cb.emitLogDirect(broker, args, d)));
      const errorsOnly = await start(['warning', 'error']);
      await flush();
      const errorLines = printed.length;
      const all = await start(['info', 'warning', 'error']);
      await flush();
      const mark = printed.length;
      await emit(['error', 'Run.', 'Run.', 'Or', 'it', 'will', 'explode.']);
      await flush();
      await emit(['info', 'Just', 'saying']);
      await flush();
      expect(errorLines).toBe(1);
      expect(printed.slice(mark).sort()).toEqual(
        [
          " [x] Sent error: 'Run. Run. Or it will explode.'",
          " [x] error: 'Run. Run. Or it will explode.'",
          " [x] error: 'Run. Run. Or it will explode.'",
          " [x] Sent info: 'Just saying'",
          " [x] info: 'Just saying'",
        ].sort(),
      );
      const bindings = broker.inspect().bindings.filter((b) => b.source_name === 'direct_logs');
      expect(bindings.map((b) => b.routing_key).sort()).toEqual(['error', 'error', 'info', 'warning', 'warning']);
      await errorsOnly.close();
      await all.close();
    });
  }
});

describe('tutorial 5: topics', () => {
  const examples: [string, string[]][] = [
    ['quick.orange.rabbit', ['Q1', 'Q2']],
    ['lazy.orange.elephant', ['Q1', 'Q2']],
    ['quick.orange.fox', ['Q1']],
    ['lazy.brown.fox', ['Q2']],
    ['lazy.pink.rabbit', ['Q2']],
    ['quick.brown.fox', []],
    ['orange', []],
    ['quick.orange.new.rabbit', []],
    ['lazy.orange.new.rabbit', ['Q2']],
  ];
  for (const form of ['promise', 'callback'] as const) {
    it(`${form} API: *.orange.*, *.*.rabbit and lazy.# route the tutorial's example keys as it says`, async () => {
      const broker = createBroker();
      const start = (args: string[]) => (form === 'promise' ? promise.receiveLogsTopic(broker, args) : run((d) => cb.receiveLogsTopic(broker, args, d)));
      const emit = (args: string[]) => (form === 'promise' ? promise.emitLogTopic(broker, args) : run((d) => cb.emitLogTopic(broker, args, d)));
      const logs: Record<string, string[]> = { Q1: [], Q2: [] };
      const q1 = await start(['*.orange.*']);
      await flush();
      const q2 = await start(['*.*.rabbit', 'lazy.#']);
      await flush();
      for (const [key, expected] of examples) {
        const before = printed.length;
        await emit([key, 'm']);
        await flush();
        const received = printed.slice(before).filter((line) => line === ` [x] ${key}:'m'`);
        expect(received, key).toHaveLength(expected.length);
        for (const who of expected) logs[who]!.push(key);
      }
      expect(logs.Q1).toEqual(['quick.orange.rabbit', 'lazy.orange.elephant', 'quick.orange.fox']);
      await q1.close();
      await q2.close();
    });
  }
});
