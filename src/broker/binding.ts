/**
 * Bindings: a source exchange, a destination (queue or exchange), a binding key and arguments.
 * RabbitMQ identifies a binding by all four, so the same key with other arguments is another
 * binding; `bindingId` gives that identity as a string (arguments in a canonical order).
 */

import { fieldTableToJSON, type FieldTable } from './field-table';
import type { DestinationKind } from './trace';
import type { Exchange } from './exchange';
import type { Queue } from './queue';

export interface Binding {
  readonly id: string;
  readonly source: string;
  readonly destinationKind: DestinationKind;
  readonly destination: string;
  readonly routingKey: string;
  readonly arguments: FieldTable;
  /** The destination itself, so routing needs no lookup by name (bindings go when it goes). */
  readonly target: Queue | Exchange;
}

export function bindingId(
  source: string,
  destinationKind: DestinationKind,
  destination: string,
  routingKey: string,
  args: FieldTable,
): string {
  return JSON.stringify([source, destinationKind, destination, routingKey, canonicalArgs(args)]);
}

function canonicalArgs(args: FieldTable): unknown {
  const json = fieldTableToJSON(args) as Record<string, unknown>;
  return Object.keys(json)
    .sort()
    .map((k) => [k, json[k]]);
}
