/**
 * Snapshots with what `rabbitmqctl` reports, field names as its info items (snake_case), so the
 * console, the canvas and tests read one shape. Arguments are in the lossless JSON form of
 * field tables (`{"$long": 1}` where JSON alone would lose the type). Also the messages one
 * queue holds (`peekQueueMessages`), read without taking them.
 */

import type { Broker } from './broker';
import { notFound } from './errors';
import { fieldTableToJSON } from './field-table';
import type { QueuedMessage } from './message';
import type { Vhost } from './vhost';

export interface ExchangeInfo {
  vhost: string;
  name: string;
  type: string;
  durable: boolean;
  auto_delete: boolean;
  internal: boolean;
  arguments: Record<string, unknown>;
}

export interface QueueInfo {
  vhost: string;
  name: string;
  type: 'classic' | 'quorum' | 'stream';
  messages: number;
  messages_ready: number;
  messages_unacknowledged: number;
  consumers: number;
  state: 'running';
  durable: boolean;
  exclusive: boolean;
  auto_delete: boolean;
  arguments: Record<string, unknown>;
  /** Set when RabbitMQ 4.x logs a deprecation for this kind of queue. */
  deprecation?: string;
}

export interface BindingInfo {
  vhost: string;
  source_name: string;
  source_kind: 'exchange';
  destination_name: string;
  destination_kind: 'queue' | 'exchange';
  routing_key: string;
  arguments: Record<string, unknown>;
}

export interface ConnectionInfo {
  id: number;
  name: string;
  vhost: string;
  user: string;
  state: 'running';
  channels: number;
  connected_at: number;
  /** Frames sent to and received from the client (see ServerConnection.sendCount). */
  send_cnt: number;
  recv_cnt: number;
}

export interface ChannelInfo {
  id: number;
  connection: number;
  name: string;
  number: number;
  vhost: string;
  user: string;
  consumer_count: number;
  messages_unacknowledged: number;
  prefetch_count: number;
  global_prefetch_count: number;
  confirm: boolean;
}

export interface ConsumerInfo {
  vhost: string;
  queue_name: string;
  channel: number;
  consumer_tag: string;
  ack_required: boolean;
  exclusive: boolean;
  prefetch_count: number;
  priority: number;
}

export interface BrokerSnapshot {
  time: number;
  vhosts: string[];
  exchanges: ExchangeInfo[];
  queues: QueueInfo[];
  bindings: BindingInfo[];
  connections: ConnectionInfo[];
  channels: ChannelInfo[];
  consumers: ConsumerInfo[];
}

const TRANSIENT_DEPRECATION =
  'transient non-exclusive queues are deprecated (RabbitMQ 4.x logs a warning; declare it durable or exclusive)';

export function inspectBroker(broker: Broker): BrokerSnapshot {
  const snapshot: BrokerSnapshot = {
    time: broker.now(),
    vhosts: [...broker.vhosts.keys()],
    exchanges: [],
    queues: [],
    bindings: [],
    connections: [],
    channels: [],
    consumers: [],
  };
  for (const vhost of broker.vhosts.values()) {
    for (const x of vhost.exchanges.values()) {
      snapshot.exchanges.push({
        vhost: vhost.name,
        name: x.name,
        type: x.type,
        durable: x.durable,
        auto_delete: x.autoDelete,
        internal: x.internal,
        arguments: fieldTableToJSON(x.arguments) as Record<string, unknown>,
      });
    }
    for (const q of vhost.queues.values()) {
      // rabbitmqctl lists the default exchange's implicit binding first for each queue.
      snapshot.bindings.push({ vhost: vhost.name, source_name: '', source_kind: 'exchange', destination_name: q.name, destination_kind: 'queue', routing_key: q.name, arguments: {} });
      const info: QueueInfo = {
        vhost: vhost.name,
        name: q.name,
        type: q.type,
        messages: q.messageCount + q.unackedCount,
        messages_ready: q.messageCount,
        messages_unacknowledged: q.unackedCount,
        consumers: q.consumers.length,
        state: 'running',
        durable: q.durable,
        exclusive: q.exclusive,
        auto_delete: q.autoDelete,
        arguments: fieldTableToJSON(q.arguments) as Record<string, unknown>,
      };
      if (!q.durable && !q.exclusive) info.deprecation = TRANSIENT_DEPRECATION;
      snapshot.queues.push(info);
    }
    for (const x of vhost.exchanges.values()) {
      for (const b of x.bindings.values()) {
        snapshot.bindings.push({
          vhost: vhost.name,
          source_name: b.source,
          source_kind: 'exchange',
          destination_name: b.destination,
          destination_kind: b.destinationKind,
          routing_key: b.routingKey,
          arguments: fieldTableToJSON(b.arguments) as Record<string, unknown>,
        });
      }
    }
  }
  for (const conn of broker.connections.values()) {
    if (conn.internal) continue;
    snapshot.connections.push({
      id: conn.id,
      name: conn.name,
      vhost: conn.vhost,
      user: conn.user,
      state: 'running',
      channels: conn.channels.size,
      connected_at: conn.openedAt,
      send_cnt: conn.sendCount,
      recv_cnt: conn.recvCount,
    });
    for (const ch of conn.channels.values()) {
      snapshot.channels.push({
        id: ch.id,
        connection: conn.id,
        name: `${conn.name} (${ch.number})`,
        number: ch.number,
        vhost: conn.vhost,
        user: conn.user,
        consumer_count: ch.consumers.size,
        messages_unacknowledged: ch.unacked.size,
        prefetch_count: ch.consumerPrefetch,
        global_prefetch_count: ch.channelPrefetch,
        confirm: ch.confirm,
      });
      for (const c of ch.consumers.values()) {
        snapshot.consumers.push({
          vhost: conn.vhost,
          queue_name: c.queue.name,
          channel: ch.id,
          consumer_tag: c.tag,
          ack_required: !c.noAck,
          exclusive: c.exclusive,
          prefetch_count: c.prefetch,
          priority: c.priority,
        });
      }
    }
  }
  return snapshot;
}

/** One message a queue holds, as `Broker.peekQueue` lists it. */
export interface QueuedMessageInfo {
  messageId: number;
  /** Waiting in the queue, or delivered and not yet acknowledged. */
  state: 'ready' | 'unacked';
  redelivered: boolean;
  routingKey: string;
  /** The exchange it was published (or dead-lettered) to; "" for the default exchange. */
  exchange: string;
}

/**
 * The messages `queue` holds, at most `limit`: the ready ones in the order they would be
 * delivered, then the unacknowledged ones in queue order (they live on the channels). Changes
 * nothing. Cost: O(limit) for ready messages, O(unacked deliveries of the vhost) for the rest.
 */
export function peekQueueMessages(broker: Broker, vhost: Vhost, queue: string, limit: number): QueuedMessageInfo[] {
  const q = vhost.queue(queue);
  if (!q) throw notFound('queue', queue, vhost.name);
  const rows: QueuedMessageInfo[] = [];
  if (!(limit > 0)) return rows;
  for (const qm of q.ready) {
    rows.push(messageRow(qm, 'ready'));
    if (rows.length >= limit) return rows;
  }
  if (q.unackedCount === 0) return rows;
  const unacked: QueuedMessage[] = [];
  for (const conn of broker.connections.values()) {
    for (const ch of conn.channels.values()) for (const u of ch.unacked.values()) if (u.queue === q) unacked.push(u.qm);
  }
  unacked.sort((a, b) => a.seq - b.seq);
  for (const qm of unacked.slice(0, limit - rows.length)) rows.push(messageRow(qm, 'unacked'));
  return rows;
}

function messageRow(qm: QueuedMessage, state: QueuedMessageInfo['state']): QueuedMessageInfo {
  const m = qm.message;
  return { messageId: m.id, state, redelivered: qm.redelivered, routingKey: m.routingKey, exchange: m.exchange };
}
