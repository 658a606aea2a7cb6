/**
 * What the Topic lab starts with: the selected topic binding's key and the routing key of a
 * producer publishing to its exchange, or the selected producer's key, or the tutorial's pair.
 */

import type { Diagram, JsonTable } from '../../document/types';
import type { Selection } from '../panels/fields';

export const DEFAULT_BINDING_KEY = '*.orange.*';
export const DEFAULT_ROUTING_KEY = 'quick.orange.rabbit';

export interface LabStart {
  bindingKey?: string;
  routingKey?: string;
  /** A selected headers binding's arguments (x-match included). */
  bindingArguments?: JsonTable;
  /** Headers of a producer publishing to that exchange. */
  headers?: JsonTable;
}

function producerTo(diagram: Diagram, exchangeId: string) {
  return diagram.nodes.find((n) => n.kind === 'producer' && n.target?.kind === 'exchange' && n.target.id === exchangeId);
}

function headersOf(properties: JsonTable): JsonTable | undefined {
  const headers = properties['headers'];
  return typeof headers === 'object' && headers !== null && !Array.isArray(headers) ? (headers as JsonTable) : undefined;
}

/** What the selection says to start with (empty when it says nothing). */
export function labStart(diagram: Diagram, selection: Selection | null): LabStart {
  if (selection?.kind === 'binding') {
    const binding = diagram.bindings.find((b) => b.id === selection.id);
    const exchange = diagram.nodes.find((n) => n.id === binding?.source);
    if (!binding || exchange?.kind !== 'exchange') return {};
    const producer = producerTo(diagram, exchange.id);
    const message = producer?.kind === 'producer' ? producer.message : undefined;
    if (exchange.type === 'topic') return { bindingKey: binding.routingKey, ...(message ? { routingKey: message.routingKey } : {}) };
    if (exchange.type === 'headers') {
      const headers = message ? headersOf(message.properties) : undefined;
      return { bindingArguments: binding.arguments, ...(headers ? { headers } : {}) };
    }
    return {};
  }
  if (selection?.kind === 'node') {
    const producer = diagram.nodes.find((n) => n.id === selection.id);
    if (producer?.kind !== 'producer') return {};
    const headers = headersOf(producer.message.properties);
    return { routingKey: producer.message.routingKey, ...(headers ? { headers } : {}) };
  }
  return {};
}
