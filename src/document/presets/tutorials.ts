/**
 * RabbitMQ's six tutorials as presets, as the current tutorials declare them (`hello`,
 * `task_queue` and `rpc_queue` durable quorum queues), with the classic form older guides use
 * one option away. Names are the tutorials' own: programs (send, receive, new_task, worker,
 * emit_log..., rpc_client, rpc_server), exchanges, queues, severities and topic keys.
 *
 * Server-named exclusive queues (`amq.gen-…`, tutorials 3 to 5) are queue nodes named '': each
 * receiver (its consumer node) declares its own, so it lives as long as that consumer's
 * connection, as in the tutorials. RPC uses Direct Reply-to as the current tutorial does: the
 * producer and the consumer named rpc_client are one program, sharing the channel that
 * publishes the requests and consumes `amq.rabbitmq.reply-to`; rpc_server answers each request
 * (a consumer with a reply) to its reply-to, with its correlation id.
 */

import { connect } from '../actions';
import { DIRECT_REPLY_TO } from '../names';
import type { Preset, PresetOptions } from './types';
import { assemble, AUTO_ACK, classicQueue, consumer, exchange, producer, queue, quorumQueue, serverNamedQueue } from './layout';

export const helloWorld: Preset = {
  id: 'hello-world',
  title: 'Hello World!',
  tutorial: 1,
  description: "Tutorial 1: 'send' publishes to the queue 'hello' through the default exchange; 'receive' consumes them.",
  tryIt: 'Publish: 4 messages wait in hello (4 ready), since receive is stopped. Start receive and press Play: 0 ready, 1 consumer.',
  hasClassicForm: true,
  build({ classic = false }: PresetOptions = {}) {
    return assemble(
      'Hello World!',
      [
        // Four runs of send.py, in one click.
        producer('producer-1', 'send', 0, { body: 'Hello World!' }, { kind: 'burst', count: 4 }),
        // Older guides: queue_declare(queue='hello'), a transient classic queue.
        queue('queue-1', 'hello', 0, classic ? classicQueue(false) : quorumQueue()),
        // receive.py consumes with automatic acknowledgements; stopped, so the messages wait.
        consumer('consumer-1', 'receive', 0, { ...AUTO_ACK, running: false }),
      ],
      [connect('producer-1', 'queue-1'), connect('queue-1', 'consumer-1')],
    );
  },
};

export const workQueues: Preset = {
  id: 'work-queues',
  title: 'Work queues',
  tutorial: 2,
  description: 'Tutorial 2: new_task queues slow tasks in task_queue; two workers with prefetch 1 share them, one at a time.',
  tryIt:
    'Publish 5 tasks of 3 s each: worker-1 and worker-2 take one at a time. Crash worker-1 mid-task: its task goes back to task_queue and worker-2 gets it, marked redelivered.',
  hasClassicForm: true,
  build({ classic = false }: PresetOptions = {}) {
    // worker.py sleeps a second per dot and acks when done, with basic_qos(prefetch_count=1).
    const worker = { prefetch: 1, ackMode: 'manual', workMs: 3000 } as const;
    return assemble(
      'Work queues',
      [
        producer('producer-1', 'new_task', 0.5, { body: 'A slow task...', properties: { persistent: true } }, { kind: 'burst', count: 5 }),
        // Older guides: a durable classic task_queue.
        queue('queue-1', 'task_queue', 0.5, classic ? classicQueue(true) : quorumQueue()),
        consumer('consumer-1', 'worker-1', 0, worker),
        consumer('consumer-2', 'worker-2', 1, worker),
      ],
      [connect('producer-1', 'queue-1'), connect('queue-1', 'consumer-1'), connect('queue-1', 'consumer-2')],
    );
  },
};

export const publishSubscribe: Preset = {
  id: 'publish-subscribe',
  title: 'Publish/Subscribe',
  tutorial: 3,
  description: "Tutorial 3: emit_log broadcasts through the fanout exchange 'logs'; each subscriber's queue gets every message.",
  tryIt:
    'Publish: logs copies the message to both amq.gen-… queues and each receive_logs gets it. Crash a receiver: its queue goes with its connection, and what is published meanwhile does not reach it. Start it: a new amq.gen-… queue.',
  hasClassicForm: false,
  build() {
    return assemble(
      'Publish/Subscribe',
      [
        producer('producer-1', 'emit_log', 0.5, { body: 'info: Hello World!' }),
        exchange('exchange-1', 'logs', 0.5, 'fanout', false),
        serverNamedQueue(0, 'queue-1'),
        serverNamedQueue(1, 'queue-2'),
        consumer('consumer-1', 'receive_logs-1', 0, AUTO_ACK),
        consumer('consumer-2', 'receive_logs-2', 1, AUTO_ACK),
      ],
      [
        connect('producer-1', 'exchange-1'),
        connect('exchange-1', 'queue-1'),
        connect('exchange-1', 'queue-2'),
        connect('queue-1', 'consumer-1'),
        connect('queue-2', 'consumer-2'),
      ],
    );
  },
};

/** The severities of tutorial 4. */
export const SEVERITIES = ['info', 'warning', 'error'] as const;

export const routing: Preset = {
  id: 'routing',
  title: 'Routing',
  tutorial: 4,
  description: 'Tutorial 4: emit_log_direct routes by severity through direct_logs; each queue gets only the severities it binds.',
  tryIt: 'Publish with key info: only receive_logs_direct-2 gets it. Change the key to error and publish again: both receivers get it (warning: receive_logs_direct-2 only).',
  hasClassicForm: false,
  build() {
    return assemble(
      'Routing',
      [
        producer('producer-1', 'emit_log_direct', 0.5, { routingKey: 'info', body: 'Hello World!' }),
        exchange('exchange-1', 'direct_logs', 0.5, 'direct', false),
        // As the tutorial draws it: one receiver keeps errors only, the other shows everything.
        serverNamedQueue(0, 'queue-1'),
        serverNamedQueue(1, 'queue-2'),
        consumer('consumer-1', 'receive_logs_direct-1', 0, AUTO_ACK),
        consumer('consumer-2', 'receive_logs_direct-2', 1, AUTO_ACK),
      ],
      [
        connect('producer-1', 'exchange-1'),
        connect('exchange-1', 'queue-1', { routingKey: 'error' }),
        ...SEVERITIES.map((severity) => connect('exchange-1', 'queue-2', { routingKey: severity })),
        connect('queue-1', 'consumer-1'),
        connect('queue-2', 'consumer-2'),
      ],
    );
  },
};

export const topics: Preset = {
  id: 'topics',
  title: 'Topics',
  tutorial: 5,
  description: "Tutorial 5: topic_logs routes by pattern: *.orange.* to one receiver's queue, *.*.rabbit and lazy.# to the other's.",
  tryIt:
    'Publish quick.orange.rabbit (both queues), then lazy.orange.elephant, quick.orange.fox, lazy.brown.fox and quick.brown.fox. The Topic lab explains the pinned pairs, such as orange and lazy.orange.new.rabbit.',
  hasClassicForm: false,
  build() {
    return assemble(
      'Topics',
      [
        producer('producer-1', 'emit_log_topic', 0.5, { routingKey: 'quick.orange.rabbit', body: 'Hello World!' }),
        exchange('exchange-1', 'topic_logs', 0.5, 'topic', false),
        // Q1 and Q2 in the tutorial's picture; server-named in its code.
        serverNamedQueue(0, 'queue-1'),
        serverNamedQueue(1, 'queue-2'),
        consumer('consumer-1', 'receive_logs_topic-1', 0, AUTO_ACK),
        consumer('consumer-2', 'receive_logs_topic-2', 1, AUTO_ACK),
      ],
      [
        connect('producer-1', 'exchange-1'),
        connect('exchange-1', 'queue-1', { routingKey: '*.orange.*' }),
        connect('exchange-1', 'queue-2', { routingKey: '*.*.rabbit' }),
        connect('exchange-1', 'queue-2', { routingKey: 'lazy.#' }),
        connect('queue-1', 'consumer-1'),
        connect('queue-2', 'consumer-2'),
      ],
      // The tutorial's questions, to try in the Topic lab.
      [
        { bindingKey: '*.orange.*', routingKey: 'quick.orange.rabbit' },
        { bindingKey: 'lazy.#', routingKey: 'lazy.pink.rabbit' },
        { bindingKey: '*.*.rabbit', routingKey: 'lazy.pink.rabbit' },
        { bindingKey: '*.orange.*', routingKey: 'orange' },
        { bindingKey: '*.*.rabbit', routingKey: 'quick.orange.new.rabbit' },
        { bindingKey: 'lazy.#', routingKey: 'lazy.orange.new.rabbit' },
      ],
    );
  },
};

/** The correlation id of the RPC preset's request (the tutorials make a fresh UUID per call). */
export const RPC_CORRELATION_ID = '8f2b6c1e-4d3a-4f7b-9e05-1c2d3e4f5a6b';

export const rpc: Preset = {
  id: 'rpc',
  title: 'RPC',
  tutorial: 6,
  description: 'Tutorial 6: rpc_client asks fib(30) on rpc_queue with a reply-to and a correlation id; rpc_server answers it there.',
  tryIt:
    'Publish from rpc_client and press Play: rpc_server works a second, answers 832040 to the request’s reply-to with the same correlation id, and the answer reaches the consumer rpc_client (Direct Reply-to: no queue in between; the classic form uses a callback queue).',
  hasClassicForm: true,
  build({ classic = false }: PresetOptions = {}) {
    // Current tutorial: a quorum rpc_queue and Direct Reply-to. Older guides: a transient
    // classic rpc_queue and an exclusive callback queue of the client's; server-named there, it
    // is named here, since a producer's fixed reply-to cannot hold a name the broker makes up.
    const replyTo = classic ? 'rpc_client.callback' : DIRECT_REPLY_TO;
    return assemble(
      'RPC',
      [
        producer('producer-1', 'rpc_client', 0, { body: '30', properties: { replyTo, correlationId: RPC_CORRELATION_ID } }),
        queue('queue-1', 'rpc_queue', 0, classic ? classicQueue(false) : quorumQueue()),
        // rpc_server.py: basic_qos(prefetch_count=1); answers fib(n), then acks.
        consumer('consumer-1', 'rpc_server', 0, { prefetch: 1, ackMode: 'manual', workMs: 1000, reply: '832040' }),
        queue('queue-2', replyTo, 1, classic ? { ...classicQueue(false), exclusive: true } : classicQueue(false)),
        // The client reads its answers without acks (Direct Reply-to allows no other way).
        consumer('consumer-2', 'rpc_client', 1, AUTO_ACK),
      ],
      [connect('producer-1', 'queue-1'), connect('queue-1', 'consumer-1'), connect('queue-2', 'consumer-2')],
    );
  },
};

/** The six tutorials, in order. */
export const TUTORIAL_PRESETS: readonly Preset[] = Object.freeze([helloWorld, workQueues, publishSubscribe, routing, topics, rpc]);
