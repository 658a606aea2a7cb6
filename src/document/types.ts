/**
 * The diagram as a document: what a person drew (nodes, positions, names, arguments, bindings,
 * the settings of simulated producers and consumers), free of Svelte and of the broker. The
 * worker derives the broker's topology from it; the UI renders it; one gateway edits it.
 *
 * Field-table values (arguments, headers) use the lossless JSON form of
 * `src/broker/field-table.ts` (`fieldTableToJSON`): plain JSON, or `{"$long": 1}` where a type
 * must be forced.
 */

export type JsonTable = Record<string, unknown>;

export interface Position {
  x: number;
  y: number;
}

export type ExchangeType = 'direct' | 'fanout' | 'topic' | 'headers' | 'x-local-random';

interface NodeBase {
  /** Stable, unique in the document (not the RabbitMQ name, which may change). */
  id: string;
  position: Position;
}

export interface ExchangeNode extends NodeBase {
  kind: 'exchange';
  /** The RabbitMQ name; '' is the default exchange, `amq.*` the built-in ones. */
  name: string;
  type: ExchangeType;
  durable: boolean;
  autoDelete: boolean;
  internal: boolean;
  arguments: JsonTable;
}

export interface QueueNode extends NodeBase {
  kind: 'queue';
  name: string;
  durable: boolean;
  exclusive: boolean;
  autoDelete: boolean;
  /** x-message-ttl, x-dead-letter-exchange, x-max-length, x-queue-type, ... */
  arguments: JsonTable;
}

/** What a producer publishes. */
export interface MessageTemplate {
  routingKey: string;
  body: string;
  /** amqplib publish options: headers (JSON form), persistent, expiration, priority, mandatory, CC, BCC, replyTo, correlationId, messageId, ... */
  properties: JsonTable;
}

export type PublishMode = { kind: 'once' } | { kind: 'burst'; count: number } | { kind: 'rate'; perSecond: number };

export interface ProducerNode extends NodeBase {
  kind: 'producer';
  name: string;
  /** Where it publishes: an exchange node, or a queue node (through the default exchange). */
  target: { kind: 'exchange' | 'queue'; id: string } | null;
  message: MessageTemplate;
  mode: PublishMode;
}

export type FailureAction = 'nack-requeue' | 'nack-drop' | 'reject-requeue' | 'reject-drop';

export interface ConsumerNode extends NodeBase {
  kind: 'consumer';
  name: string;
  /** The queue node it consumes from. */
  queue: string | null;
  prefetch: number;
  ackMode: 'auto' | 'manual';
  /** Simulated processing time per message, in ms. */
  workMs: number;
  /** Share of messages (0..1) that fail, and what a failure does. */
  failure: { rate: number; action: FailureAction };
  /** A stopped consumer is not subscribed. */
  running: boolean;
  /**
   * An RPC server's answer: after the work, it publishes this body to the default exchange with
   * the request's reply-to as routing key and its correlation id, then acks. Absent: no reply.
   */
  reply?: string;
}

export type DiagramNode = ExchangeNode | QueueNode | ProducerNode | ConsumerNode;
export type NodeKind = DiagramNode['kind'];

/** A binding: from an exchange node to a queue or exchange node. */
export interface BindingEdge {
  id: string;
  source: string;
  destination: { kind: 'queue' | 'exchange'; id: string };
  routingKey: string;
  arguments: JsonTable;
}

/** A pair of keys a teacher pinned in the Topic lab, to try. */
export interface TopicExercise {
  bindingKey: string;
  routingKey: string;
}

export interface Diagram {
  version: 1;
  nodes: DiagramNode[];
  bindings: BindingEdge[];
  view?: { x: number; y: number; zoom: number };
  /** Topic lab exercises, in the order pinned. */
  exercises?: TopicExercise[];
}
