import { describe, expect, it } from 'vitest';
import { addNodes, batch, connect, unwrap, type Diagram } from '../../src/document/index';
import { EVENT_LOG_LIMIT, EventLog } from '../../src/ui/explain/event-log.svelte';
import { describeEvent } from '../../src/ui/explain/log-lines';
import { findingMarks, findingTargets } from '../../src/ui/explain/findings';
import { whatIfMarks } from '../../src/ui/explain/what-if';
import type { BrokerEvent, Finding, ShownRoute } from '../../src/worker/protocol';

const at = { time: 1500, vhost: '/' };

describe('the event log', () => {
  it('keeps one line per event about a message, naming the message', () => {
    const log = new EventLog();
    log.take([
      { ...at, type: 'enqueued', messageId: 4, queue: 'q', depth: 0 },
      { ...at, type: 'channel.opened', connection: 1, channel: 1 },
      { ...at, type: 'expired', messageId: 4, queue: 'q', ttl: 'queue', ms: 500 },
    ] as BrokerEvent[]);
    expect(log.rows.map((r) => [r.seq, describeEvent(r.event)?.text])).toEqual([
      [1, 'enqueued in "q"'],
      [2, 'expired in "q" after 500 ms'],
    ]);
  });

  it('forgets the oldest lines past its limit', () => {
    const log = new EventLog(3);
    for (let i = 1; i <= 5; i++) log.take([{ ...at, type: 'acked', messageId: i, queue: 'q', channel: 1, deliveryTag: i } as BrokerEvent]);
    expect(log.rows.map((r) => (r.event as { messageId: number }).messageId)).toEqual([3, 4, 5]);
    expect(EVENT_LOG_LIMIT).toBeGreaterThan(100);
  });

  it('says where a publish went, in words', () => {
    const trace = { exchange: '', routingKey: 'nowhere', cc: [], bcc: [], mandatory: true, visits: [], queues: [], outcome: 'returned' as const };
    expect(describeEvent({ ...at, type: 'publish', messageId: 1, connection: 1, channel: 1, trace, properties: {}, bodySize: 0 } as BrokerEvent)).toEqual({
      tone: 'warn',
      text: 'published to the default exchange, key "nowhere" → returned (no route)',
    });
  });
});

function twoQueues(): Diagram {
  return unwrap(
    batch('two', [
      addNodes([
        { id: 'x', kind: 'exchange', name: 'logs', type: 'topic', position: { x: 0, y: 0 } },
        { id: 'q1', kind: 'queue', name: 'eu', position: { x: 200, y: 0 } },
        { id: 'q2', kind: 'queue', name: 'us', position: { x: 200, y: 100 } },
      ]),
      connect('x', 'q1', { routingKey: '*.eu' }),
      connect('x', 'q2', { routingKey: '*.us' }),
    ]),
    { version: 1, nodes: [], bindings: [] },
  );
}

describe('the what-if marks', () => {
  it('light the bindings that would match and the queues that would get a copy, by diagram id', () => {
    const d = twoQueues();
    const [eu, us] = d.bindings;
    const route: ShownRoute = {
      exchange: 'logs', routingKey: 'a.eu', cc: [], bcc: [], mandatory: false, outcome: 'routed',
      visits: [{ exchange: 'logs', type: 'topic', via: { kind: 'publish' }, bindings: [
        { destinationKind: 'queue', destination: 'eu', bindingKey: '*.eu', argumentsText: '', routingKey: 'a.eu', matched: true, reason: 'yes' },
        { destinationKind: 'queue', destination: 'us', bindingKey: '*.us', argumentsText: '', routingKey: 'a.eu', matched: false, reason: 'no' },
      ] }],
      queues: [{ queue: 'eu', result: 'enqueued' }],
    };
    expect(whatIfMarks(route, d)).toEqual({ edges: { [eu!.id]: 'hit', [us!.id]: 'miss' }, queues: { q1: { result: 'receive' } } });
  });
});

describe('finding marks', () => {
  it('put each finding on its bindings and named nodes, in the worst severity', () => {
    const d = twoQueues();
    const [eu] = d.bindings;
    const findings: Finding[] = [
      { id: 'a', family: 'topology', code: 'queue-unconsumed', severity: 'info', message: 'nobody consumes "eu"', bindings: [], exchanges: [], queues: ['eu'] },
      { id: 'b', family: 'pattern', code: 'empty-word', severity: 'warning', message: 'empty word', bindings: [eu!.id], exchanges: [], queues: ['eu'] },
    ];
    expect(findingTargets(findings[1]!, d)).toEqual([eu!.id, 'q1']);
    const marks = findingMarks(findings, d);
    expect(marks.q1).toEqual({ severity: 'warning', messages: ['nobody consumes "eu"', 'empty word'], serious: 1 });
    expect(marks[eu!.id]?.severity).toBe('warning');
    expect(marks.q2).toBeUndefined();
  });
});
