/**
 * The page's link to the broker worker: keeps the worker in step with the document (one sync at
 * a time, always the latest diagram), asks for snapshots, publishes, drives the clock — and
 * when the worker dies, says so and starts a new one from the document, so nothing drawn is lost.
 *
 * Restarts are limited (three within a minute); past that the session stays failed until the
 * person asks for a restart, so a worker that dies on load cannot loop forever.
 */

import type { Diagram } from '../document/index';
import { createWorkerClient, type WorkerClient } from '../worker/client';
import type {
  BrokerEvent,
  BrokerSnapshot,
  ClockAction,
  ClockState,
  CommandParams,
  CommandResult,
  ConsumerAction,
  ExplainParams,
  ExplainResult,
  SimulationState,
  SyncError,
} from '../worker/protocol';

/** The commands that only read: safe to ask at any time, from any view. */
export type QuestionType = 'explain' | 'journey' | 'whyNot' | 'whatIf' | 'queueMessages' | 'analyze' | 'console' | 'complete';

export type BrokerStatus =
  | { kind: 'starting' }
  | { kind: 'running' }
  | { kind: 'restarting'; reason: string }
  | { kind: 'failed'; message: string };

export interface SessionHooks {
  /** The document the worker must mirror. */
  diagram: () => Diagram;
  events: (events: BrokerEvent[], state: SimulationState | null) => void;
  state: (state: SimulationState) => void;
  snapshot: (snapshot: BrokerSnapshot) => void;
  /** Something to tell the person (status bar). */
  say: (tone: 'info' | 'error', text: string) => void;
  /** A new worker started (after a crash): its clock is at 0 and nothing is in flight. */
  restarted?: () => void;
  createClient?: () => WorkerClient;
}

const RESTART_WINDOW_MS = 60_000;
const MAX_RESTARTS = 3;
/** The least time between two snapshots asked for by events, ms. */
const REFRESH_MS = 100;

function messageOf(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'number' ? `${code} ${message}` : message;
}

export class BrokerSession {
  status = $state.raw<BrokerStatus>({ kind: 'starting' });
  clock = $state.raw<ClockState | null>(null);
  syncErrors = $state.raw<SyncError[]>([]);

  readonly #hooks: SessionHooks;
  #client: WorkerClient | null = null;
  #stops: Array<() => void> = [];
  #restarts: number[] = [];
  #disposed = false;
  #syncing = false;
  #syncAgain = false;
  #refreshing = false;
  #refreshAgain = false;
  #refreshTimer: ReturnType<typeof setTimeout> | undefined;
  #lastRefresh = 0;

  constructor(hooks: SessionHooks) {
    this.#hooks = hooks;
  }

  /** Starts the first worker. */
  start(): void {
    this.#spawn();
  }

  /** Stops the worker for good (the page is going away). */
  dispose(): void {
    this.#disposed = true;
    clearTimeout(this.#refreshTimer);
    this.#detach();
    this.#client?.terminate();
    this.#client = null;
  }

  /** A person's explicit restart, after the automatic ones gave up. */
  restart(): void {
    this.#restarts = [];
    this.#replace('Restarted on request.');
  }

  get client(): WorkerClient | null {
    return this.#client;
  }

  #spawn(): void {
    const client = (this.#hooks.createClient ?? createWorkerClient)();
    this.#client = client;
    this.#stops = [
      client.onFailure((failure) => this.#died(failure.message)),
      client.onEvents((events) => {
        this.#hooks.events(events, client.state);
        this.#refreshSoon();
      }),
      client.onState((state) => {
        this.clock = state.clock;
        this.#hooks.state(state);
        if (state.fault) this.#hooks.say('error', state.fault);
      }),
    ];
    void this.sync();
  }

  #detach(): void {
    for (const stop of this.#stops) stop();
    this.#stops = [];
  }

  #died(message: string): void {
    if (this.#disposed) return;
    const now = Date.now();
    this.#restarts = this.#restarts.filter((t) => now - t < RESTART_WINDOW_MS);
    if (this.#restarts.length >= MAX_RESTARTS) {
      this.#detach();
      this.status = { kind: 'failed', message: `${message} It stopped ${MAX_RESTARTS} times in a minute, so it was not restarted.` };
      return;
    }
    this.#restarts.push(now);
    this.#replace(message);
  }

  #replace(reason: string): void {
    this.#detach();
    this.#client?.terminate();
    this.#syncing = this.#refreshing = false;
    this.#syncAgain = this.#refreshAgain = false;
    this.status = { kind: 'restarting', reason };
    this.clock = null;
    this.#hooks.restarted?.();
    this.#spawn();
  }

  /** Brings the worker in line with the document; only one request at a time, always the latest. */
  async sync(): Promise<void> {
    const client = this.#client;
    if (!client || client.failure) return;
    if (this.#syncing) {
      this.#syncAgain = true;
      return;
    }
    this.#syncing = true;
    try {
      const result = await client.request('sync', { diagram: this.#hooks.diagram() });
      if (client !== this.#client) return;
      this.syncErrors = result.errors;
      if (result.errors.length > 0) {
        this.#hooks.say('error', result.errors.map((e) => `${e.code} ${e.message}`).join(' · '));
      }
      await this.refresh();
    } catch (error) {
      if (!client.failure) this.#hooks.say('error', messageOf(error));
    } finally {
      if (client === this.#client) {
        this.#syncing = false;
        if (this.#syncAgain) {
          this.#syncAgain = false;
          void this.sync();
        }
      }
    }
  }

  /** Resolves once the worker has the latest diagram. */
  async synced(): Promise<void> {
    while (this.#syncing) await new Promise((resolve) => setTimeout(resolve, 10));
  }

  /**
   * A snapshot covers the whole broker, so busy event streams ask for one at most every
   * REFRESH_MS: counts stay live without the snapshots themselves taking the frame budget.
   */
  #refreshSoon(): void {
    if (this.#refreshTimer !== undefined) return;
    const wait = Math.max(0, this.#lastRefresh + REFRESH_MS - Date.now());
    this.#refreshTimer = setTimeout(() => {
      this.#refreshTimer = undefined;
      void this.refresh();
    }, wait);
  }

  /** Asks for a snapshot (queue counts): at most one in flight, and one more if asked meanwhile. */
  async refresh(): Promise<void> {
    const client = this.#client;
    if (!client || client.failure) return;
    if (this.#refreshing) {
      this.#refreshAgain = true;
      return;
    }
    this.#refreshing = true;
    this.#lastRefresh = Date.now();
    try {
      const snapshot = await client.request('inspect');
      if (client !== this.#client) return;
      this.#hooks.snapshot(snapshot);
      if (this.status.kind !== 'running') {
        if (this.status.kind === 'restarting') {
          this.#hooks.say('info', `The broker worker stopped (${this.status.reason}); it was restarted from your diagram.`);
        }
        this.status = { kind: 'running' };
      }
    } catch (error) {
      if (!client.failure) this.#hooks.say('error', messageOf(error));
    } finally {
      if (client === this.#client) {
        this.#refreshing = false;
        if (this.#refreshAgain) {
          this.#refreshAgain = false;
          void this.refresh();
        }
      }
    }
  }

  /** Publishes from a producer; returns what went wrong (also said in the status bar), or null. */
  async publish(producerId: string, count?: number): Promise<string | null> {
    const client = this.#client;
    if (!client || client.failure) return 'The broker is not running.';
    await this.synced();
    try {
      const result = await client.request('publish', count === undefined ? { producerId } : { producerId, count });
      if (result.error) {
        const text = `${result.error.code} ${result.error.message}`;
        this.#hooks.say('error', text);
        return text;
      }
      if (result.returned > 0) this.#hooks.say('info', 'The message was returned: no queue matched its routing key.');
      return null;
    } catch (error) {
      const text = messageOf(error);
      this.#hooks.say('error', text);
      return text;
    }
  }

  async consumer(consumerId: string, action: ConsumerAction): Promise<string | null> {
    const client = this.#client;
    if (!client || client.failure) return 'The broker is not running.';
    await this.synced();
    try {
      await client.request('consumer', { consumerId, action });
      return null;
    } catch (error) {
      return messageOf(error);
    }
  }

  async clockAction(action: ClockAction, speed?: number): Promise<ClockState | null> {
    const client = this.#client;
    if (!client || client.failure) return null;
    try {
      const state = await client.request('clock', speed === undefined ? { action } : { action, speed });
      if (client === this.#client) this.clock = state;
      return state;
    } catch (error) {
      this.#hooks.say('error', messageOf(error));
      return null;
    }
  }

  /** The core's explanation of one match (the Topic lab); null when the broker is not running. Rejects on a bad request. */
  async explain(params: ExplainParams): Promise<ExplainResult | null> {
    return this.ask('explain', params);
  }

  /**
   * Asks the worker a question that changes nothing (a journey, a why-not, a what-if, a queue's
   * messages, an analysis); null when the broker is not running. Rejects on a bad request.
   */
  async ask<K extends QuestionType>(type: K, params: CommandParams<K>): Promise<CommandResult<K> | null> {
    const client = this.#client;
    if (!client || client.failure) return null;
    // Every question takes parameters, which the client's rest-tuple signature cannot see generically.
    const request = client.request as (type: K, params: CommandParams<K>) => Promise<CommandResult<K>>;
    return request.call(client, type, params);
  }
}
