/**
 * RabbitMQ tutorials 2 (work queues) and 6 (RPC), as amqplib programs in both forms (the current
 * promise API on quorum queues, the older callback API on classic ones), run against
 * createBroker() on its simulated clock.
 *
 * Each program runs in a Shell: a process of its own, as if started in its own terminal. The
 * shell gives the program its `setTimeout` (the broker's clock), labels what it prints, and
 * keeps a record of what its channels were handed (deliveries with their fields, properties and
 * headers), so a test can say which worker got which task and when, without changing the
 * tutorial code. `kill()` ends the process: its pending timers never fire and its connections
 * drop.
 */
/* eslint-disable @typescript-eslint/no-explicit-any */

import { AsyncLocalStorage } from 'node:async_hooks';
import { format } from 'node:util';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createBroker, type Broker } from '../../src/broker/index';
import * as rpc from './tutorials/rpc';
import * as wq from './tutorials/work-queues';
import { flush } from './support/replay';
import { seededRandom } from '../bench/lib'; // the tutorials' Math.random, seeded

// ---- harness -------------------------------------------------------------------------------

/** Which shell is running: propagates through awaits, set explicitly for callbacks and timers. */
const running = new AsyncLocalStorage<string>();

interface Line {
  at: number;
  who: string;
  text: string;
}

let lines: Line[] = [];
let clock: Broker | undefined;

beforeEach(() => {
  lines = [];
  clock = undefined;
  vi.spyOn(console, 'log').mockImplementation((...args: unknown[]) => {
    lines.push({ at: clock?.now() ?? 0, who: running.getStore() ?? '-', text: format(...args) });
  });
});
afterEach(() => {
  vi.restoreAllMocks();
});

function newBroker(): Broker {
  clock = createBroker();
  return clock;
}

/** What was printed, as `<time>ms <shell><line>`, optionally only from `since` on. */
function timeline(since = 0): string[] {
  return lines.slice(since).map((l) => `${l.at}ms ${l.who}${l.text}`);
}

function printed(): string[] {
  return lines.map((l) => l.text);
}

interface Seen {
  at: number;
  body: string;
  exchange: string;
  routingKey: string;
  redelivered: boolean;
  consumerTag: string;
  correlationId: string | undefined;
  replyTo: string | undefined;
  headers: Record<string, unknown> | undefined;
}

interface Sent {
  at: number;
  queue: string;
  body: string;
  correlationId: string | undefined;
  replyTo: string | undefined;
}

class Shell {
  readonly name: string;
  /** The broker as the program sees it: `connect` is tapped, nothing else changes. */
  readonly broker: Broker;
  /** Every message the program's consumers were handed. */
  readonly seen: Seen[] = [];
  /** Every sendToQueue the program made. */
  readonly sent: Sent[] = [];
  /** Errors thrown by its timers: an uncaught exception in a real Node process. */
  readonly uncaught: string[] = [];
  /** Channel and connection 'error' events, and rejected consumes nobody awaited. */
  readonly errors: string[] = [];
  readonly #real: Broker;
  readonly #timers = new Set<ReturnType<Broker['setTimeout']>>();
  readonly #connections: any[] = [];

  constructor(real: Broker, name: string) {
    this.#real = real;
    this.name = name;
    const tapped = Object.create(real) as Broker;
    (tapped as any).connect = (url: unknown, ...rest: unknown[]) => {
      const cb = rest.find((r) => typeof r === 'function') as ((err: unknown, conn?: any) => void) | undefined;
      if (cb) return (real as any).connect(url, (err: unknown, conn?: any) => cb(err, conn && this.#tapConnection(conn)));
      return real.connect(url as string).then((conn) => this.#tapConnection(conn));
    };
    this.broker = tapped;
  }

  /** Starts a program in this shell. */
  run<T>(program: () => T): T {
    return running.run(this.name, program);
  }

  /** The `setTimeout` the program gets: the broker's clock, labelled, errors kept as uncaught. */
  readonly setTimeout = (fn: () => void, ms: number): unknown => {
    const handle = this.#real.setTimeout(() => {
      this.#timers.delete(handle);
      running.run(this.name, () => {
        try {
          fn();
        } catch (error) {
          this.uncaught.push(String(error));
        }
      });
    }, ms);
    this.#timers.add(handle);
    return handle;
  };

  /** The process dies: its pending timers never run, and its connections drop. */
  async kill(): Promise<void> {
    for (const handle of this.#timers) this.#real.clearTimeout(handle);
    this.#timers.clear();
    await this.closeConnections();
  }

  /** Its connections close while the process keeps running (its timers still fire). */
  async closeConnections(): Promise<void> {
    for (const conn of this.#connections) await Promise.resolve(conn.close()).catch(() => {});
    await flush();
  }

  #tapConnection(conn: any): any {
    this.#connections.push(conn);
    conn.on('error', (e: Error) => this.errors.push(`connection: ${e.message}`));
    const create = conn.createChannel.bind(conn);
    conn.createChannel = (...args: unknown[]) => {
      const cb = args.find((a) => typeof a === 'function') as ((err: unknown, ch?: any) => void) | undefined;
      if (cb) return create((err: unknown, ch?: any) => cb(err, ch && this.#tapChannel(ch)));
      return create().then((ch: any) => this.#tapChannel(ch));
    };
    return conn;
  }

  #tapChannel(ch: any): any {
    ch.on('error', (e: Error) => this.errors.push(e.message));
    const consume = ch.consume.bind(ch);
    ch.consume = (queue: string, onMessage: (msg: any) => void, ...rest: unknown[]) => {
      const result = consume(
        queue,
        (msg: any) => {
          if (msg) this.#record(msg);
          running.run(this.name, () => onMessage(msg));
        },
        ...rest,
      );
      // The tutorials do not await consume; keep a failure here instead of an unhandled rejection.
      result?.catch?.((e: Error) => this.errors.push(`consume ${queue}: ${e.message}`));
      return result;
    };
    const sendToQueue = ch.sendToQueue.bind(ch);
    ch.sendToQueue = (queue: string, content: Buffer, options?: Record<string, any>, ...rest: unknown[]) => {
      this.sent.push({ at: this.#real.now(), queue, body: content.toString(), correlationId: options?.correlationId, replyTo: options?.replyTo });
      return sendToQueue(queue, content, options, ...rest);
    };
    return ch;
  }

  #record(msg: any): void {
    this.seen.push({
      at: this.#real.now(),
      body: Buffer.from(msg.content).toString(),
      exchange: msg.fields.exchange,
      routingKey: msg.fields.routingKey,
      redelivered: msg.fields.redelivered,
      consumerTag: msg.fields.consumerTag,
      correlationId: msg.properties.correlationId,
      replyTo: msg.properties.replyTo,
      headers: msg.properties.headers,
    });
  }
}

/** Runs a callback-style program and resolves with the connection it hands back. */
function started(program: (done: (connection: any) => void) => void): Promise<any> {
  return new Promise((resolve) => program(resolve));
}

/** Runs every timer due next, lets the clients see what it caused; returns its time. */
async function step(broker: Broker): Promise<number | undefined> {
  const due = broker.nextDue();
  if (due === undefined) return undefined;
  broker.advance(due - broker.now());
  await flush();
  return due;
}

/** Steps through every timer; returns the times it stopped at. */
async function runClock(broker: Broker): Promise<number[]> {
  const stops: number[] = [];
  for (let i = 0; i < 100; i++) {
    const at = await step(broker);
    if (at === undefined) return stops;
    stops.push(at);
  }
  throw new Error(`the clock still had timers after 100 steps: ${stops.join(', ')}`);
}

/** Waits (no simulated time passing) for a program to finish, or says why it did not. */
async function finished<T>(promise: Promise<T>, shells: Shell[]): Promise<T> {
  let state: { value: T } | { error: unknown } | undefined;
  promise.then(
    (value) => (state = { value }),
    (error) => (state = { error }),
  );
  for (let i = 0; i < 20 && !state; i++) await flush();
  if (!state) {
    const why = shells.map((s) => `${s.name}: ${JSON.stringify(s.errors)}`).join('; ');
    throw new Error(`the program did not finish; channel errors: ${why}`);
  }
  if ('error' in state) throw state.error;
  return state.value;
}

function queueRow(broker: Broker, name: string) {
  const q = broker.inspect().queues.find((row) => row.name === name);
  return q && { type: q.type, durable: q.durable, ready: q.messages_ready, unacked: q.messages_unacknowledged, consumers: q.consumers };
}

// ---- tutorial 2: work queues ----------------------------------------------------------------

interface WorkQueueForm {
  label: string;
  type: 'quorum' | 'classic';
  worker(shell: Shell): Promise<unknown>;
  newTask(shell: Shell, args: string[]): Promise<unknown>;
}

const WORK_QUEUE_FORMS: WorkQueueForm[] = [
  {
    label: 'current form (promise API, quorum task_queue)',
    type: 'quorum',
    worker: (sh) => sh.run(() => wq.worker(sh.broker, sh.setTimeout)),
    newTask: (sh, args) => sh.run(() => wq.newTask(sh.broker, args, sh.setTimeout)),
  },
  {
    label: 'older form (callback API, classic durable task_queue)',
    type: 'classic',
    worker: (sh) => sh.run(() => started((done) => wq.callbackWorker(sh.broker, sh.setTimeout, done))),
    newTask: (sh, args) => sh.run(() => started((done) => wq.callbackNewTask(sh.broker, args, sh.setTimeout, done))),
  },
];

const FIVE_TASKS = ['First message.', 'Second message..', 'Third message...', 'Fourth message....', 'Fifth message.....'];

async function startWorkers(broker: Broker, form: WorkQueueForm): Promise<[Shell, Shell]> {
  const w1 = new Shell(broker, 'W1');
  const w2 = new Shell(broker, 'W2');
  await form.worker(w1);
  await flush();
  await form.worker(w2);
  await flush();
  return [w1, w2];
}

async function sendTask(broker: Broker, form: WorkQueueForm, task: string): Promise<void> {
  await form.newTask(new Shell(broker, 'new_task'), task.split(' '));
  await flush();
}

/**
 * W1 takes a five-second task, W2 a one-second one; at 2500 ms W1 goes (`how`), mid-task.
 * Returns the shells and where the printed lines were when W1 went.
 */
async function workerGoesMidTask(form: WorkQueueForm, how: 'kill' | 'closeConnections') {
  const broker = newBroker();
  const [w1, w2] = await startWorkers(broker, form);
  await sendTask(broker, form, 'Long task.....');
  await sendTask(broker, form, 'Short task.');
  broker.advance(2500);
  await flush();
  const mark = lines.length;
  await w1[how]();
  return { broker, w1, w2, mark };
}

for (const form of WORK_QUEUE_FORMS) {
  describe(`tutorial 2: work queues, ${form.label}`, () => {
    it('two workers with prefetch 1 share five tasks fairly; each Done comes when its dots say', async () => {
      const broker = newBroker();
      const [w1, w2] = await startWorkers(broker, form);
      for (const task of FIVE_TASKS) await sendTask(broker, form, task);

      // Prefetch 1: each worker holds one task; the other three wait in the queue, not at a worker.
      expect(queueRow(broker, 'task_queue')).toEqual({ type: form.type, durable: true, ready: 3, unacked: 2, consumers: 2 });

      const stops = await runClock(broker);
      expect(stops).toEqual([500, 1000, 2000, 4000, 6000, 9000]); // 500: each new_task closes its connection
      expect(timeline()).toEqual([
        '0ms W1 [*] Waiting for messages in task_queue. To exit press CTRL+C',
        '0ms W2 [*] Waiting for messages in task_queue. To exit press CTRL+C',
        "0ms new_task [x] Sent 'First message.'",
        '0ms W1 [x] Received First message.',
        "0ms new_task [x] Sent 'Second message..'",
        '0ms W2 [x] Received Second message..',
        "0ms new_task [x] Sent 'Third message...'",
        "0ms new_task [x] Sent 'Fourth message....'",
        "0ms new_task [x] Sent 'Fifth message.....'",
        '1000ms W1 [x] Done',
        '1000ms W1 [x] Received Third message...',
        '2000ms W2 [x] Done',
        '2000ms W2 [x] Received Fourth message....',
        '4000ms W1 [x] Done',
        '4000ms W1 [x] Received Fifth message.....',
        '6000ms W2 [x] Done',
        '9000ms W1 [x] Done',
      ]);
      expect(w1.seen.map((m) => [m.at, m.body])).toEqual([
        [0, 'First message.'],
        [1000, 'Third message...'],
        [4000, 'Fifth message.....'],
      ]);
      expect(w2.seen.map((m) => [m.at, m.body])).toEqual([
        [0, 'Second message..'],
        [2000, 'Fourth message....'],
      ]);
      for (const m of [...w1.seen, ...w2.seen]) expect(m).toMatchObject({ redelivered: false, exchange: '', routingKey: 'task_queue' });
      expect([...w1.uncaught, ...w2.uncaught, ...w1.errors, ...w2.errors]).toEqual([]);

      // rabbitmqctl list_queues at the end: nothing waiting, nothing unacknowledged, two workers.
      expect(queueRow(broker, 'task_queue')).toEqual({ type: form.type, durable: true, ready: 0, unacked: 0, consumers: 2 });
      expect(broker.inspect().connections).toHaveLength(2); // the new_task connections closed at 500 ms
      await w1.kill();
      await w2.kill();
      expect(queueRow(broker, 'task_queue')).toMatchObject({ ready: 0, unacked: 0, consumers: 0 });
    });

    it('a worker killed mid-task: its task goes to the other worker, marked redelivered', async () => {
      const { broker, w1, w2, mark } = await workerGoesMidTask(form, 'kill');
      await runClock(broker);
      expect(timeline(mark)).toEqual(['2500ms W2 [x] Received Long task.....', '7500ms W2 [x] Done']);
      expect(w1.seen.map((m) => [m.at, m.body, m.redelivered])).toEqual([[0, 'Long task.....', false]]);
      expect(w2.seen.map((m) => [m.at, m.body, m.redelivered])).toEqual([
        [0, 'Short task.', false],
        [2500, 'Long task.....', true],
      ]);
      // Its pending timer died with it: no Done, no ack on a closed channel.
      expect(lines.filter((l) => l.who === 'W1' && l.text === ' [x] Done')).toEqual([]);
      expect(w1.uncaught).toEqual([]);
      expect(queueRow(broker, 'task_queue')).toEqual({ type: form.type, durable: true, ready: 0, unacked: 0, consumers: 1 });
    });

    it("a worker whose connection closes while it keeps running: its timer's ack throws Channel closed", async () => {
      const { broker, w1, w2, mark } = await workerGoesMidTask(form, 'closeConnections');
      await runClock(broker);
      expect(timeline(mark)).toEqual(['2500ms W2 [x] Received Long task.....', '5000ms W1 [x] Done', '7500ms W2 [x] Done']);
      // amqplib's IllegalOperationError for a method on a closed channel, thrown out of the timer.
      expect(w1.uncaught).toEqual(['IllegalOperationError: Channel closed']);
      expect(w2.uncaught).toEqual([]);
      expect(w2.seen.map((m) => [m.at, m.body, m.redelivered])).toEqual([
        [0, 'Short task.', false],
        [2500, 'Long task.....', true],
      ]);
      expect(queueRow(broker, 'task_queue')).toEqual({ type: form.type, durable: true, ready: 0, unacked: 0, consumers: 1 });
    });

    if (form.type === 'quorum') {
      it('the redelivered task carries x-delivery-count 1 (a quorum queue counts the return); first deliveries carry none', async () => {
        const { broker, w1, w2 } = await workerGoesMidTask(form, 'kill');
        await runClock(broker);
        expect(w1.seen[0]!.headers ?? {}).not.toHaveProperty('x-delivery-count');
        expect(w2.seen[0]!.headers ?? {}).not.toHaveProperty('x-delivery-count');
        expect(w2.seen[1]!.headers).toMatchObject({ 'x-delivery-count': 1 });
      });
    } else {
      it('the redelivered task carries no x-delivery-count (classic queues do not count returns)', async () => {
        const { broker, w2 } = await workerGoesMidTask(form, 'kill');
        await runClock(broker);
        expect(w2.seen[1]!.redelivered).toBe(true);
        expect(w2.seen[1]!.headers ?? {}).not.toHaveProperty('x-delivery-count');
      });
    }
  });
}

// ---- tutorial 6: RPC ------------------------------------------------------------------------

const FIB: Record<number, string> = { 5: '5', 10: '55', 20: '6765', 30: '832040' };

describe('tutorial 6: RPC, current form (promise API, quorum rpc_queue, Direct Reply-to)', () => {
  async function startServer(broker: Broker): Promise<Shell> {
    const server = new Shell(broker, 'server');
    await server.run(() => rpc.rpcServer(server.broker));
    await flush();
    return server;
  }

  function startClient(broker: Broker, n: number, random: () => number): { shell: Shell; done: Promise<void> } {
    const shell = new Shell(broker, `client(${n})`);
    return { shell, done: shell.run(() => rpc.rpcClient(shell.broker, [String(n)], random)) };
  }

  it('prints what the tutorial shows; the client leaves no queue behind', async () => {
    const broker = newBroker();
    const server = await startServer(broker);
    const client = startClient(broker, 30, seededRandom(1));
    await finished(client.done, [client.shell, server]);
    expect(printed()).toEqual([' [x] Awaiting RPC requests', ' [x] Requesting fib(30)', ' [.] fib(30)', ' [.] Got 832040']);
    expect(timeline().map((l) => l.split(' ')[1])).toEqual(['server', 'client(30)', 'server', 'client(30)']);

    const snapshot = broker.inspect();
    expect(snapshot.queues.map((q) => q.name)).toEqual(['rpc_queue']);
    expect(queueRow(broker, 'rpc_queue')).toEqual({ type: 'quorum', durable: true, ready: 0, unacked: 0, consumers: 1 });
    expect(snapshot.connections).toHaveLength(1); // the client closed its own
  });

  it('the server sees replyTo amq.rabbitmq.reply-to.<token>; the reply comes back on that routing key; no such queue exists', async () => {
    const broker = newBroker();
    const server = await startServer(broker);
    const client = startClient(broker, 10, seededRandom(2));
    await finished(client.done, [client.shell, server]);

    const [request] = client.shell.sent;
    expect(request).toMatchObject({ queue: 'rpc_queue', body: '10', replyTo: 'amq.rabbitmq.reply-to' });
    const [received] = server.seen;
    expect(received!.correlationId).toBe(request!.correlationId);
    const address = received!.replyTo!;
    expect(address).toMatch(/^amq\.rabbitmq\.reply-to\.\S+$/);
    expect(address.length).toBeGreaterThan('amq.rabbitmq.reply-to.'.length + 8);

    expect(client.shell.seen).toHaveLength(1);
    expect(client.shell.seen[0]).toMatchObject({ body: '55', exchange: '', routingKey: address, correlationId: request!.correlationId, redelivered: false });
    expect(server.sent).toEqual([{ at: 0, queue: address, body: '55', correlationId: request!.correlationId, replyTo: undefined }]);
    expect(broker.inspect().queues.filter((q) => q.name.startsWith('amq.rabbitmq.reply-to'))).toEqual([]);
  });

  it('several clients at once: each gets its own answer, matched by correlation id, through its own address', async () => {
    const broker = newBroker();
    const server = await startServer(broker);
    const random = seededRandom(3);
    const clients = [30, 5, 20, 10].map((n) => ({ n, ...startClient(broker, n, random) }));
    await finished(Promise.all(clients.map((c) => c.done)), [server, ...clients.map((c) => c.shell)]);

    const ids = clients.map((c) => c.shell.sent[0]!.correlationId);
    expect(new Set(ids).size).toBe(4);
    const addresses = new Set<string>();
    for (const { n, shell } of clients) {
      const request = shell.sent[0]!;
      const atServer = server.seen.find((m) => m.correlationId === request.correlationId)!;
      expect(atServer.body).toBe(String(n));
      addresses.add(atServer.replyTo!);
      expect(shell.seen).toEqual([expect.objectContaining({ body: FIB[n], correlationId: request.correlationId, routingKey: atServer.replyTo })]);
      expect(lines.filter((l) => l.who === shell.name).map((l) => l.text)).toEqual([` [x] Requesting fib(${n})`, ` [.] Got ${FIB[n]}`]);
    }
    expect(addresses.size).toBe(4);
    expect(broker.inspect().queues.map((q) => q.name)).toEqual(['rpc_queue']);
  });

  it('the client ignores a reply with a correlation id that is not its own', async () => {
    const broker = newBroker();
    // The test plays the server: it reads the request from rpc_queue and answers by hand.
    const conn = await broker.connect();
    const ch = await conn.createChannel();
    await ch.assertQueue('rpc_queue', { durable: true, arguments: { 'x-queue-type': 'quorum' } });
    const client = startClient(broker, 10, seededRandom(4));
    for (let i = 0; i < 5; i++) await flush();
    const request = await ch.get('rpc_queue');
    expect(request).not.toBe(false);
    const { replyTo, correlationId } = (request as any).properties;
    expect(replyTo).toMatch(/^amq\.rabbitmq\.reply-to\.\S+$/);

    ch.sendToQueue(replyTo, Buffer.from('stray'), { correlationId: 'not-' + correlationId });
    await flush();
    expect(printed()).toEqual([' [x] Requesting fib(10)']);
    ch.sendToQueue(replyTo, Buffer.from('55'), { correlationId });
    ch.ack(request as any);
    await finished(client.done, [client.shell]);
    expect(printed()).toEqual([' [x] Requesting fib(10)', ' [.] Got 55']);
    expect(client.shell.seen.map((m) => m.body)).toEqual(['stray', '55']);
    await conn.close();
  });
});

describe('tutorial 6: RPC, older form (callback API, exclusive callback queue)', () => {
  async function startServer(broker: Broker): Promise<Shell> {
    const server = new Shell(broker, 'server');
    await server.run(() => started((done) => rpc.callbackRpcServer(server.broker, done)));
    await flush();
    return server;
  }

  async function startClient(broker: Broker, n: number, random: () => number): Promise<Shell> {
    const shell = new Shell(broker, `client(${n})`);
    await shell.run(() => started((done) => rpc.callbackRpcClient(shell.broker, [String(n)], shell.setTimeout, random, done)));
    return shell;
  }

  const callbackQueues = (broker: Broker) => broker.inspect().queues.filter((q) => q.name.startsWith('amq.gen-'));

  it('prints what the tutorial shows; the callback queue is exclusive, server-named, and goes with the client', async () => {
    const broker = newBroker();
    const server = await startServer(broker);
    const client = await startClient(broker, 30, seededRandom(5));
    await flush();
    expect(printed()).toEqual([' [x] Awaiting RPC requests', ' [x] Requesting fib(30)', ' [.] fib(30)', ' [.] Got 832040']);

    const [callback] = callbackQueues(broker);
    expect(callbackQueues(broker)).toHaveLength(1);
    expect(callback!.name).toMatch(/^amq\.gen-[A-Za-z0-9_-]{22}$/);
    expect(callback).toMatchObject({ type: 'classic', exclusive: true, durable: false, auto_delete: false, consumers: 1, messages_ready: 0 });

    const [request] = client.sent;
    expect(request).toMatchObject({ queue: 'rpc_queue', body: '30', replyTo: callback!.name });
    expect(request!.correlationId).toMatch(/^(0\.\d+){3}$/); // three Math.random() strings run together
    expect(server.seen[0]).toMatchObject({ body: '30', replyTo: callback!.name, correlationId: request!.correlationId });
    expect(client.seen).toEqual([expect.objectContaining({ body: '832040', exchange: '', routingKey: callback!.name, correlationId: request!.correlationId })]);
    expect(queueRow(broker, 'rpc_queue')).toEqual({ type: 'classic', durable: false, ready: 0, unacked: 0, consumers: 1 });

    // The client closes its connection 500 ms after its answer; its exclusive queue goes with it.
    expect(await runClock(broker)).toEqual([500]);
    expect(callbackQueues(broker)).toEqual([]);
    expect(broker.inspect().connections).toHaveLength(1);
  });

  it('several clients at once: each has its own callback queue and gets its own answer', async () => {
    const broker = newBroker();
    const server = await startServer(broker);
    const random = seededRandom(6);
    const clients: { n: number; shell: Shell }[] = [];
    for (const n of [30, 5, 20, 10]) clients.push({ n, shell: await startClient(broker, n, random) });
    await flush();

    const queues = callbackQueues(broker).map((q) => q.name);
    expect(new Set(queues).size).toBe(4);
    expect(new Set(clients.map((c) => c.shell.sent[0]!.correlationId)).size).toBe(4);
    for (const { n, shell } of clients) {
      const request = shell.sent[0]!;
      expect(queues).toContain(request.replyTo);
      expect(server.seen.find((m) => m.correlationId === request.correlationId)).toMatchObject({ body: String(n), replyTo: request.replyTo });
      expect(shell.seen).toEqual([expect.objectContaining({ body: FIB[n], correlationId: request.correlationId, routingKey: request.replyTo })]);
      expect(lines.filter((l) => l.who === shell.name).map((l) => l.text)).toEqual([` [x] Requesting fib(${n})`, ` [.] Got ${FIB[n]}`]);
    }
    await runClock(broker);
    expect(callbackQueues(broker)).toEqual([]);
  });

  it('the client ignores a reply with a correlation id that is not its own', async () => {
    const broker = newBroker();
    const conn = await broker.connect();
    const ch = await conn.createChannel();
    await ch.assertQueue('rpc_queue', { durable: false });
    const client = await startClient(broker, 10, seededRandom(7));
    await flush();
    const request = await ch.get('rpc_queue');
    expect(request).not.toBe(false);
    const { replyTo, correlationId } = (request as any).properties;
    expect(replyTo).toMatch(/^amq\.gen-/);

    ch.sendToQueue(replyTo, Buffer.from('stray'), { correlationId: 'not-' + correlationId });
    await flush();
    expect(printed()).toEqual([' [x] Requesting fib(10)']);
    ch.sendToQueue(replyTo, Buffer.from('55'), { correlationId });
    ch.ack(request as any);
    await flush();
    expect(printed()).toEqual([' [x] Requesting fib(10)', ' [.] Got 55']);
    expect(client.seen.map((m) => m.body)).toEqual(['stray', '55']);
    await runClock(broker);
    expect(callbackQueues(broker)).toEqual([]);
    await conn.close();
  });
});
