import { describe, expect, it } from 'vitest';
import { createWorkerClient, WorkerCommandError, WorkerFailure, type WorkerLike } from '../../src/worker/client';
import type { BrokerEvent, SimulationState, WorkerCommand, WorkerMessage } from '../../src/worker/protocol';

/** A Worker double: records what the client posts; `reply`/`fail` play the worker's side. */
class FakeWorker extends EventTarget implements WorkerLike {
  sent: WorkerCommand[] = [];
  terminated = false;
  postMessage(message: unknown): void {
    this.sent.push(message as WorkerCommand);
  }
  terminate(): void {
    this.terminated = true;
  }
  reply(message: WorkerMessage): void {
    this.dispatchEvent(new MessageEvent('message', { data: message }));
  }
  fail(message?: string): void {
    this.dispatchEvent(Object.assign(new Event('error', { cancelable: true }), message ? { message } : {}));
  }
}

function setup() {
  const worker = new FakeWorker();
  const client = createWorkerClient({ createWorker: () => worker });
  return { worker, client };
}

const event: BrokerEvent = { type: 'queue.declared', queue: 'q', time: 0, vhost: '/' };

describe('worker client', () => {
  it('sends typed commands and resolves each with its own reply', async () => {
    const { worker, client } = setup();
    const first = client.request('inspect');
    const second = client.request('inspect');
    expect(worker.sent).toEqual([
      { id: 1, type: 'inspect' },
      { id: 2, type: 'inspect' },
    ]);
    worker.reply({ id: 2, ok: true, result: 'second' });
    worker.reply({ id: 1, ok: true, result: 'first' });
    await expect(first).resolves.toBe('first');
    await expect(second).resolves.toBe('second');
  });

  it('rejects with the error the worker answered', async () => {
    const { worker, client } = setup();
    const request = client.request('inspect');
    worker.reply({ id: 1, ok: false, error: { code: 404, message: 'NOT_FOUND - nope' } });
    const error = await request.catch((e: unknown) => e);
    expect(error).toBeInstanceOf(WorkerCommandError);
    expect(error).toMatchObject({ code: 404, message: 'NOT_FOUND - nope' });
  });

  it('hands event batches to every subscriber until it unsubscribes', () => {
    const { worker, client } = setup();
    const seen: BrokerEvent[][] = [];
    const stop = client.onEvents((events) => seen.push(events));
    worker.reply({ type: 'events', events: [event] });
    stop();
    worker.reply({ type: 'events', events: [event, event] });
    expect(seen).toEqual([[event]]);
  });

  it('reports a dead worker, rejects what was pending and what comes after', async () => {
    const { worker, client } = setup();
    const failures: WorkerFailure[] = [];
    client.onFailure((failure) => failures.push(failure));
    const pending = client.request('inspect');
    worker.fail();

    await expect(pending).rejects.toBeInstanceOf(WorkerFailure);
    await expect(client.request('inspect')).rejects.toBeInstanceOf(WorkerFailure);
    expect(failures).toHaveLength(1);
    expect(failures[0]!.message).toMatch(/failed to start/);
    expect(client.failure).toBe(failures[0]);
    expect(worker.terminated).toBe(true);

    // A late subscriber hears about it at once.
    let late: WorkerFailure | undefined;
    client.onFailure((failure) => (late = failure));
    expect(late).toBe(failures[0]);
  });

  it("quotes an uncaught error's message", () => {
    const { worker, client } = setup();
    worker.fail('Uncaught TypeError: boom');
    expect(client.failure?.message).toBe('The broker worker stopped: Uncaught TypeError: boom');
  });

  it('is dead from the start when the worker cannot be constructed', async () => {
    const client = createWorkerClient({
      createWorker: () => {
        throw new Error('Workers are disabled');
      },
    });
    expect(client.failure?.message).toMatch(/could not be started: Workers are disabled/);
    await expect(client.request('inspect')).rejects.toBeInstanceOf(WorkerFailure);
  });

  it('hands the simulation state to its subscribers, and skips empty event batches', () => {
    const { worker, client } = setup();
    const batches: BrokerEvent[][] = [];
    const states: SimulationState[] = [];
    client.onEvents((events) => batches.push(events));
    const stop = client.onState((state) => states.push(state));
    expect(client.state).toBeNull();
    const state: SimulationState = { epoch: 0, clock: { now: 5, playing: true, speed: 2, nextDue: null }, clients: [], fault: null, serverNames: {} };
    worker.reply({ type: 'events', events: [], state });
    worker.reply({ type: 'events', events: [event], state: { ...state, clock: { ...state.clock, now: 6 } } });
    stop();
    worker.reply({ type: 'events', events: [], state: { ...state, clock: { ...state.clock, now: 7 } } });
    expect(batches).toEqual([[event]]);
    expect(states.map((s) => s.clock.now)).toEqual([5, 6]);
    expect(client.state?.clock.now).toBe(7);
  });
});
