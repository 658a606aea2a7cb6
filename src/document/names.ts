/**
 * RabbitMQ names in the document: which names RabbitMQ accepts (an AMQP short string, no
 * reserved `amq.` prefix for anything new), and how fresh unique names are made (`queue-1`,
 * `orders-2`). Exchanges, queues, producers and consumers are four separate namespaces, as
 * exchanges and queues are in RabbitMQ.
 */

import { builtInExchange } from './builtins';
import type { Diagram, NodeKind } from './types';

const encoder = new TextEncoder();

/** An AMQP short string holds at most 255 bytes of UTF-8. */
export const MAX_NAME_BYTES = 255;

/** Bytes of a string in UTF-8, as AMQP counts a short string. */
export function utf8Length(text: string): number {
  return encoder.encode(text).length;
}

/** Why RabbitMQ (or the document) would refuse this name for a node of this kind, or null. */
export function nameProblem(kind: NodeKind, name: unknown): string | null {
  if (typeof name !== 'string') return `a ${kind}'s name must be a string`;
  const bytes = utf8Length(name);
  if (bytes > MAX_NAME_BYTES) return `a name is at most ${MAX_NAME_BYTES} bytes (an AMQP short string); '${name.slice(0, 20)}…' has ${bytes}`;
  switch (kind) {
    case 'exchange':
      // '' and the amq.* built-ins are placed by name; any other amq.* name is refused.
      if (name.startsWith('amq.') && !builtInExchange(name)) {
        return `RabbitMQ refuses it: exchange name '${name}' contains reserved prefix 'amq.*'`;
      }
      return null;
    case 'queue':
      // '' is a server-named queue: the broker names it (`amq.gen-…`) when it is declared.
      if (name.startsWith('amq.') && name !== DIRECT_REPLY_TO) return `RabbitMQ refuses it: queue name '${name}' contains reserved prefix 'amq.*'`;
      return null;
    case 'producer':
    case 'consumer':
      return name === '' ? `a ${kind} needs a name` : null;
  }
}

/**
 * Direct Reply-to's pseudo-queue: an RPC client consumes it (no acks) on the channel it
 * publishes its requests on, with this as their reply-to; never declared, never bound.
 */
export const DIRECT_REPLY_TO = 'amq.rabbitmq.reply-to';

/**
 * A queue named '' is server-named, as in `queue.declare`: the broker makes up its name
 * (`amq.gen-…`) each time it is declared, so any number of them share the empty name.
 */
export function isServerNamed(node: { kind: NodeKind; name: string }): boolean {
  return node.kind === 'queue' && node.name === '';
}

/**
 * The diagram with its server-named queues (name '') carrying the names the broker gave them
 * (`amq.gen-…`, by node id). A queue the broker has not named yet keeps '': `topologyOf` and
 * `clientsOf` (topology.ts) leave it out, as the broker does not have it.
 */
export function withServerNames(diagram: Diagram, serverNames: Readonly<Record<string, string>>): Diagram {
  let changed = false;
  const nodes = diagram.nodes.map((n) => {
    const name = n.kind === 'queue' && n.name === '' ? serverNames[n.id] : undefined;
    if (name === undefined) return n;
    changed = true;
    return { ...n, name };
  });
  return changed ? { ...diagram, nodes } : diagram;
}

/** The names in use for one kind of node (server-named queues hold none). */
export function namesOfKind(diagram: Diagram, kind: NodeKind, exceptId?: string): Set<string> {
  const names = new Set<string>();
  for (const node of diagram.nodes) if (node.kind === kind && node.id !== exceptId && !isServerNamed(node)) names.add(node.name);
  return names;
}

/** `base-N` with the smallest N ≥ 1 not taken: the name a new node gets (`queue-1`). */
export function defaultName(kind: NodeKind, taken: ReadonlySet<string>): string {
  for (let n = 1; ; n++) {
    const name = `${kind}-${n}`;
    if (!taken.has(name)) return name;
  }
}

/**
 * `name` when it is free, otherwise the next free one of its series: `orders` → `orders-2`,
 * `queue-1` → `queue-2`. Used when pasted nodes would collide.
 */
export function uniqueName(name: string, taken: ReadonlySet<string>): string {
  if (!taken.has(name)) return name;
  const numbered = /^(.*)-(\d+)$/.exec(name);
  const base = numbered ? numbered[1]! : name;
  let n = numbered ? Number(numbered[2]) + 1 : 2;
  while (taken.has(`${base}-${n}`)) n++;
  return `${base}-${n}`;
}
