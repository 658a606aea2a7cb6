/**
 * The commands log's state: an entry per broker change a canvas gesture made (from the
 * document's diff of consecutive diagrams) and per publish (from the event stream, matched to
 * its producer by connection and channel). Keeps the latest 200 entries.
 */

import type { Diagram } from '../../document/types';
import type { BrokerEvent, ClientState } from '../../worker/protocol';
import { publishCommands, topologyCommands, type CommandEntry } from './commands';

const LIMIT = 200;

export class CommandsLog {
  entries = $state.raw<CommandEntry[]>([]);
  #previous: Diagram | null = null;
  #next = 1;

  /** The document after an edit: the commands that edit needs. Another diagram opened starts afresh. */
  diagram(next: Diagram): void {
    const previous = this.#previous;
    this.#previous = next;
    if (!previous || previous === next) return;
    const kept = new Set(previous.nodes.map((n) => n.id));
    // A diagram that shares no node with the last one was opened, not edited: its broker is new.
    if (previous.nodes.length > 0 && !next.nodes.some((n) => kept.has(n.id))) return;
    for (const entry of topologyCommands(previous, next)) this.#add(entry);
  }

  /** New broker events: each publish by a producer node, as its commands. */
  events(events: readonly BrokerEvent[], clients: Readonly<Record<string, ClientState>>, document: Diagram): void {
    for (const event of events) {
      if (event.type !== 'publish') continue;
      const client = Object.values(clients).find((c) => c.kind === 'producer' && c.connection === event.connection && c.channel === event.channel);
      const producer = client && document.nodes.find((n) => n.id === client.id);
      if (producer?.kind !== 'producer') continue;
      this.#add(publishCommands(event.trace.exchange, event.trace.routingKey, producer.message));
    }
  }

  clear(): void {
    this.entries = [];
  }

  #add(entry: Omit<CommandEntry, 'id' | 'times'>): void {
    const last = this.entries.at(-1);
    if (last && last.admin === entry.admin && last.amqplib === entry.amqplib) {
      this.entries = [...this.entries.slice(0, -1), { ...last, times: last.times + 1 }];
      return;
    }
    this.entries = [...this.entries, { ...entry, id: this.#next++, times: 1 }].slice(-LIMIT);
  }
}
