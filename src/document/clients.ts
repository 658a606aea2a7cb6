/**
 * The simulated clients of a diagram, by RabbitMQ names: what each producer publishes and
 * where, and what each consumer reads and how. The worker runs them against the broker.
 */

import type { ConsumerNode, Diagram, DiagramNode, MessageTemplate, ProducerNode, PublishMode } from './types';

/** A producer as the worker runs it. */
export interface ProducerClient {
  id: string;
  name: string;
  /**
   * `basic.publish`'s exchange and routing key; null when it is not linked. A producer linked to
   * a queue publishes to the default exchange '' with the queue's name as routing key.
   */
  target: { exchange: string; routingKey: string } | null;
  message: MessageTemplate;
  mode: PublishMode;
}

/** A consumer as the worker runs it. */
export interface ConsumerClient {
  id: string;
  name: string;
  /** The queue's RabbitMQ name; null when it is not linked (nothing to consume). */
  queue: string | null;
  prefetch: number;
  ackMode: ConsumerNode['ackMode'];
  workMs: number;
  failure: ConsumerNode['failure'];
  running: boolean;
  /** The body an RPC server answers each request with (to its reply-to), or null. */
  reply: string | null;
}

export interface Clients {
  producers: ProducerClient[];
  consumers: ConsumerClient[];
}

/** The producers and consumers of a diagram, in diagram order. Values are shared with it: do not mutate. */
export function clientsOf(diagram: Diagram): Clients {
  const byId = new Map<string, DiagramNode>(diagram.nodes.map((n) => [n.id, n]));
  const producers: ProducerClient[] = [];
  const consumers: ConsumerClient[] = [];
  for (const n of diagram.nodes) {
    if (n.kind === 'producer') producers.push({ id: n.id, name: n.name, target: publishTarget(n, byId), message: n.message, mode: n.mode });
    if (n.kind === 'consumer') {
      const queue = n.queue === null ? undefined : byId.get(n.queue);
      consumers.push({
        id: n.id,
        name: n.name,
        // A server-named queue not named yet cannot be consumed.
        queue: queue?.kind === 'queue' && queue.name !== '' ? queue.name : null,
        prefetch: n.prefetch,
        ackMode: n.ackMode,
        workMs: n.workMs,
        failure: n.failure,
        running: n.running,
        reply: n.reply ?? null,
      });
    }
  }
  return { producers, consumers };
}

function publishTarget(p: ProducerNode, byId: ReadonlyMap<string, DiagramNode>): ProducerClient['target'] {
  if (!p.target) return null;
  const node = byId.get(p.target.id);
  if (node?.kind === 'exchange') return { exchange: node.name, routingKey: p.message.routingKey };
  if (node?.kind === 'queue') return { exchange: '', routingKey: node.name };
  return null;
}
