/**
 * The diagram the playground opens with, so the first view is never empty: RabbitMQ's topic
 * tutorial (one producer, a topic exchange bound with `*.orange.*` and `lazy.#`, two queues, two
 * consumers). Built with the document's own actions, so it is valid by construction.
 */

import { addNodes, batch, connect, emptyDiagram, unwrap, type Diagram } from '../../document/index';

export function exampleDiagram(): Diagram {
  const build = batch('Example', [
    addNodes([
      {
        kind: 'producer',
        id: 'producer-1',
        name: 'emit_log_topic',
        position: { x: 0, y: 120 },
        message: { routingKey: 'quick.orange.rabbit', body: 'A quick orange rabbit', properties: {} },
      },
      { kind: 'exchange', id: 'exchange-1', name: 'topic_logs', type: 'topic', position: { x: 250, y: 140 } },
      { kind: 'queue', id: 'queue-1', name: 'orange', position: { x: 545, y: 20 } },
      { kind: 'queue', id: 'queue-2', name: 'lazy', position: { x: 545, y: 240 } },
      { kind: 'consumer', id: 'consumer-1', name: 'worker-orange', position: { x: 805, y: 20 } },
      { kind: 'consumer', id: 'consumer-2', name: 'worker-lazy', position: { x: 805, y: 240 } },
    ]),
    connect('producer-1', 'exchange-1'),
    connect('exchange-1', 'queue-1', { routingKey: '*.orange.*' }),
    connect('exchange-1', 'queue-2', { routingKey: 'lazy.#' }),
    connect('queue-1', 'consumer-1'),
    connect('queue-2', 'consumer-2'),
  ]);
  return unwrap(build, emptyDiagram());
}
