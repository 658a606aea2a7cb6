/**
 * What the canvas shows live beside the document: queue counts from the broker's snapshots and
 * the actions a node or an edge offers (publish, edit in place). Shared with the custom nodes and
 * edges through context, so count changes never rebuild the node list.
 */

import { getContext, setContext } from 'svelte';
import type { Action } from '../../document/index';
import type { BrokerSnapshot, ClientState, SimulationState } from '../../worker/protocol';

export interface QueueCounts {
  ready: number;
  unacked: number;
  consumers: number;
}

/** What the what-if tester lights up: binding edges by id, queue nodes by id. */
export interface WhatIfMarks {
  edges: Record<string, 'hit' | 'miss'>;
  queues: Record<string, { result: 'receive' | 'refused'; reason?: string }>;
}

/** Lint findings on the canvas: the worst severity and the messages, by binding or node id. */
export interface FindingMark {
  severity: 'error' | 'warning' | 'info';
  messages: string[];
  /** How many of them are warnings or errors (notes alone are not counted on a card). */
  serious: number;
}

/** A live note at a node card's foot. */
export interface CardNote {
  tone: 'ok' | 'error' | 'warning' | 'info';
  text: string;
  /** The longer story, on hover. */
  title?: string;
}

/**
 * A node's findings as one note: "2 findings", in the worst severity's tone. Notes alone (an
 * unconsumed queue, an overlap) stay in the findings list: on every card they would be noise.
 */
export function findingNotes(mark: FindingMark | undefined): CardNote[] {
  if (!mark || mark.serious === 0) return [];
  const n = mark.serious;
  return [{ tone: mark.severity, text: `${n} ${n === 1 ? 'finding' : 'findings'}`, title: mark.messages.join('\n') }];
}

export class Live {
  /** The what-if tester's answer while it is open, else null. */
  whatIf = $state.raw<WhatIfMarks | null>(null);
  /** Findings of the binding analysis, by element id. */
  findings = $state.raw<Record<string, FindingMark>>({});
  /** Queue counts by queue name (vhost '/'), from the last `inspect` snapshot. */
  queues = $state.raw<Record<string, QueueCounts>>({});
  /** The names the broker gave server-named queues (`amq.gen-…`), by node id. */
  serverNames = $state.raw<Record<string, string>>({});
  /** Client counters by node id (published, delivered, acked...). */
  clients = $state.raw<Record<string, ClientState>>({});
  readonly publish: (producerId: string) => void;
  /** Edits the document through its gateway: null when done, else the refusal's reason. */
  readonly apply: (action: Action) => string | null;

  constructor(publish: (producerId: string) => void, apply: (action: Action) => string | null = () => 'editing is not available here') {
    this.publish = publish;
    this.apply = apply;
  }

  /**
   * The edge whose label takes the keyboard focus when it mounts, for a short while: an edit
   * re-renders the flow's edges (their components mount anew), and the person who pressed
   * Enter on a label expects to stay on it.
   */
  #labelFocus: { edge: string; until: number } | null = null;

  requestLabelFocus(edgeId: string, forMs = 1000): void {
    this.#labelFocus = { edge: edgeId, until: Date.now() + forMs };
  }

  wantsLabelFocus(edgeId: string): boolean {
    const request = this.#labelFocus;
    return request !== null && request.edge === edgeId && Date.now() < request.until;
  }

  takeSnapshot(snapshot: BrokerSnapshot, vhost = '/'): void {
    const next: Record<string, QueueCounts> = {};
    for (const q of snapshot.queues) {
      if (q.vhost !== vhost) continue;
      next[q.name] = { ready: q.messages_ready, unacked: q.messages_unacknowledged, consumers: q.consumers };
    }
    this.queues = next;
  }

  /** The simulation's state: client counters, and server-named queues' names when they change. */
  takeState(state: Pick<SimulationState, 'clients' | 'serverNames'>): void {
    this.clients = Object.fromEntries(state.clients.map((c) => [c.id, c]));
    const names = state.serverNames ?? {};
    if (JSON.stringify(names) !== JSON.stringify(this.serverNames)) this.serverNames = names;
  }
}

const KEY = Symbol('live');

export function setLive(live: Live): void {
  setContext(KEY, live);
}

export function getLive(): Live {
  const live = getContext<Live | undefined>(KEY);
  if (!live) throw new Error('canvas nodes and edges need the Live context');
  return live;
}
