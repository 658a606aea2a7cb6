import { describe, expect, it } from 'vitest';
import { emptyDiagram } from '../../src/document/index';
import { BrokerSession, type SessionHooks } from '../../src/ui/broker-session.svelte';
import { WorkerFailure, type WorkerClient } from '../../src/worker/client';
import type { BrokerSnapshot, CommandType, SyncResult } from '../../src/worker/protocol';

/** A worker client that answers at once, records what it was asked, and can be made to die. */
class FakeClient {
  requests: Array<{ type: CommandType; params: unknown }> = [];
  failure: WorkerFailure | null = null;
  state = null;
  #failureListeners = new Set<(failure: WorkerFailure) => void>();
  terminated = false;

  request(type: CommandType, params?: unknown): Promise<unknown> {
    if (this.failure) return Promise.reject(this.failure);
    this.requests.push({ type, params });
    if (type === 'sync') return Promise.resolve({ errors: [] } satisfies SyncResult);
    if (type === 'inspect') return Promise.resolve({ queues: [] } as unknown as BrokerSnapshot);
    if (type === 'publish') return Promise.resolve({ published: 1, returned: 0 });
    return Promise.resolve({ now: 0, playing: false, speed: 1, nextDue: null });
  }
  onEvents() {
    return () => {};
  }
  onState() {
    return () => {};
  }
  onFailure(listener: (failure: WorkerFailure) => void) {
    this.#failureListeners.add(listener);
    return () => this.#failureListeners.delete(listener);
  }
  die(message: string): void {
    this.failure = new WorkerFailure(message);
    for (const listener of this.#failureListeners) listener(this.failure);
  }
  terminate(): void {
    this.terminated = true;
  }
}

function session(extra: Partial<SessionHooks> = {}) {
  const clients: FakeClient[] = [];
  const said: string[] = [];
  const diagram = emptyDiagram();
  const s = new BrokerSession({
    diagram: () => diagram,
    events: () => {},
    state: () => {},
    snapshot: () => {},
    say: (_tone, text) => said.push(text),
    createClient: () => {
      const client = new FakeClient();
      clients.push(client);
      return client as unknown as WorkerClient;
    },
    ...extra,
  });
  return { s, clients, said, diagram };
}

const settle = () => new Promise((resolve) => setTimeout(resolve, 0));

describe('the broker session', () => {
  it('syncs the document to a new worker and is running once it answers', async () => {
    const { s, clients, diagram } = session();
    expect(s.status.kind).toBe('starting');
    s.start();
    await settle();
    expect(clients).toHaveLength(1);
    expect(clients[0]!.requests.map((r) => r.type)).toEqual(['sync', 'inspect']);
    expect(clients[0]!.requests[0]!.params).toEqual({ diagram });
    expect(s.status.kind).toBe('running');
  });

  it('restarts a dead worker from the document and says so', async () => {
    let restarted = 0;
    const { s, clients, said, diagram } = session({ restarted: () => restarted++ });
    s.start();
    await settle();
    clients[0]!.die('The broker worker stopped: boom');
    expect(s.status).toEqual({ kind: 'restarting', reason: 'The broker worker stopped: boom' });
    expect(restarted).toBe(1);
    await settle();
    expect(clients).toHaveLength(2);
    expect(clients[1]!.requests[0]).toEqual({ type: 'sync', params: { diagram } });
    expect(s.status.kind).toBe('running');
    expect(said.at(-1)).toMatch(/restarted from your diagram/);
  });

  it('gives up after three deaths in a minute, until asked to restart', async () => {
    const { s, clients } = session();
    s.start();
    for (let i = 0; i < 3; i++) {
      await settle();
      clients.at(-1)!.die(`death ${i}`);
    }
    await settle();
    expect(clients).toHaveLength(4);
    clients.at(-1)!.die('death 3');
    expect(s.status.kind).toBe('failed');
    expect(clients).toHaveLength(4);
    s.restart();
    await settle();
    expect(clients).toHaveLength(5);
    expect(s.status.kind).toBe('running');
  });

  it('answers requests from a dead worker with a reason, not a throw', async () => {
    const { s, clients } = session();
    s.start();
    await settle();
    s.dispose();
    expect(clients[0]!.terminated).toBe(true);
    expect(await s.publish('p')).toBe('The broker is not running.');
    expect(await s.consumer('c', 'stop')).toBe('The broker is not running.');
  });
});
