/**
 * The questions the explanation views ask the worker, as one small interface: views take it as
 * a prop, so tests can hand them a fake, and nothing here knows how the worker is reached.
 */

import type { Diagram } from '../../document/index';
import type { Finding, Journey, QueuedMessageRow, ShownRoute, ShownWhyNot, WhatIfParams } from '../../worker/protocol';

export interface Explainer {
  journey(messageId: number): Promise<Journey | null>;
  whyNot(messageId: number, queue: string): Promise<ShownWhyNot[] | null>;
  whatIf(params: WhatIfParams): Promise<ShownRoute | null>;
  queueMessages(queue: string): Promise<QueuedMessageRow[] | null>;
  analyze(diagram: Diagram): Promise<Finding[] | null>;
}

/** What `BrokerSession.ask` offers; kept structural so this file does not import the session. */
export interface Asker {
  ask(type: 'journey', params: { messageId: number }): Promise<Journey | null>;
  ask(type: 'whyNot', params: { messageId: number; queue: string }): Promise<ShownWhyNot[] | null>;
  ask(type: 'whatIf', params: WhatIfParams): Promise<ShownRoute | null>;
  ask(type: 'queueMessages', params: { queue: string }): Promise<QueuedMessageRow[] | null>;
  ask(type: 'analyze', params: { diagram: Diagram }): Promise<Finding[] | null>;
}

export function explainerOf(session: Asker): Explainer {
  return {
    journey: (messageId) => session.ask('journey', { messageId }),
    whyNot: (messageId, queue) => session.ask('whyNot', { messageId, queue }),
    whatIf: (params) => session.ask('whatIf', params),
    queueMessages: (queue) => session.ask('queueMessages', { queue }),
    analyze: (diagram) => session.ask('analyze', { diagram }),
  };
}
