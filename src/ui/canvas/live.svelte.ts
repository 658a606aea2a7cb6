/**
 * What the canvas shows live beside the document: queue counts from the broker's snapshots and
 * the actions a node offers (publish). Shared with the custom nodes through context, so count
 * changes never rebuild the node list.
 */

import { getContext, setContext } from 'svelte';
import type { BrokerSnapshot, ClientState } from '../../worker/protocol';

export interface QueueCounts {
  ready: number;
  unacked: number;
  consumers: number;
}

export class Live {
  /** Queue counts by queue name (vhost '/'), from the last `inspect` snapshot. */
  queues = $state.raw<Record<string, QueueCounts>>({});
  /** Client counters by node id (published, delivered, acked...). */
  clients = $state.raw<Record<string, ClientState>>({});
  readonly publish: (producerId: string) => void;

  constructor(publish: (producerId: string) => void) {
    this.publish = publish;
  }

  takeSnapshot(snapshot: BrokerSnapshot, vhost = '/'): void {
    const next: Record<string, QueueCounts> = {};
    for (const q of snapshot.queues) {
      if (q.vhost !== vhost) continue;
      next[q.name] = { ready: q.messages_ready, unacked: q.messages_unacknowledged, consumers: q.consumers };
    }
    this.queues = next;
  }

  takeClients(clients: readonly ClientState[]): void {
    this.clients = Object.fromEntries(clients.map((c) => [c.id, c]));
  }
}

const KEY = Symbol('live');

export function setLive(live: Live): void {
  setContext(KEY, live);
}

export function getLive(): Live {
  const live = getContext<Live | undefined>(KEY);
  if (!live) throw new Error('canvas nodes need the Live context');
  return live;
}
