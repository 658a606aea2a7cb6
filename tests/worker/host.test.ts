import { describe, expect, it } from 'vitest';
import type { BrokerEvent, BrokerSnapshot, WorkerMessage } from '../../src/worker/protocol';
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
