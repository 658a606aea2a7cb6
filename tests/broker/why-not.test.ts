/**
 * "Why not here?": explainWhyNot reads a publish's trace against the current topology and says
 * why the message missed a queue, in the verdicts' own words.
 */

import { describe, expect, it } from 'vitest';
import { createBroker, explainWhyNot, type BrokerEvent, type RouteTrace, type WhyNot } from '../../src/broker/index';

async function setup() {
  const broker = createBroker();
  const events: BrokerEvent[] = [];
  broker.observe((e) => events.push(e));
  const conn = await broker.connect();
  const ch = await conn.createChannel();
  /** Publishes and returns the publish's trace. */
  const publish = (exchange: string, key: string, options?: Record<string, unknown>): RouteTrace => {
    ch.publish(exchange, key, Buffer.from('m'), options);
    const last = events.filter((e) => e.type === 'publish').pop() as Extract<BrokerEvent, { type: 'publish' }>;
    return last.trace;
  };
  const whyNot = (trace: RouteTrace, queue: string): WhyNot => broker.whyNot('/', trace, queue);
  return { broker, ch, events, publish, whyNot };
}

const kinds = (answer: WhyNot) => answer.reasons.map((r) => r.kind);
const texts = (answer: WhyNot) => answer.reasons.map((r) => r.text);

describe('a binding toward the queue did not match', () => {
  it('topic: the key has the wrong number of words', async () => {
    const { ch, publish, whyNot } = await setup();
    await ch.assertExchange('orders', 'topic', { durable: false });
    await ch.assertQueue('audit', { durable: false });
    await ch.bindQueue('audit', 'orders', 'orders.*.eu');
    const answer = whyNot(publish('orders', 'orders.new.big.eu'), 'audit');
    expect(answer.arrived).toBe(false);
    expect(answer.summary).toBe('exchange "orders" did not route it to queue "audit": the binding key "orders.*.eu" needs 3 words and "orders.new.big.eu" has 4');
    expect(answer.reasons).toHaveLength(1);
    expect(answer.reasons[0]).toMatchObject({ kind: 'binding', exchange: 'orders', verdict: { bindingKey: 'orders.*.eu', routingKey: 'orders.new.big.eu', matched: false } });
    const reason = answer.reasons[0]!;
    expect(reason.kind === 'binding' && reason.verdict.topic?.keyWords).toEqual(['orders', 'new', 'big', 'eu']);
  });

  it('topic: a word differs', async () => {
    const { ch, publish, whyNot } = await setup();
    await ch.assertExchange('orders', 'topic', { durable: false });
    await ch.assertQueue('audit', { durable: false });
    await ch.bindQueue('audit', 'orders', 'orders.*.eu');
    expect(whyNot(publish('orders', 'orders.new.us'), 'audit').summary).toBe(
      'exchange "orders" did not route it to queue "audit": binding key "orders.*.eu" does not match "orders.new.us" (word 3: binding wants "eu", key has "us")',
    );
  });

  it('headers: a value differs, a header is missing, and x-match any with none matching', async () => {
    const { ch, publish, whyNot } = await setup();
    await ch.assertExchange('h', 'headers', { durable: false });
    await ch.assertQueue('eu-all', { durable: false });
    await ch.assertQueue('eu-any', { durable: false });
    await ch.bindQueue('eu-all', 'h', '', { region: 'eu' });
    await ch.bindQueue('eu-any', 'h', '', { 'x-match': 'any', region: 'eu', level: 'high' });
    const us = publish('h', '', { headers: { region: 'us' } });
    expect(whyNot(us, 'eu-all').summary).toBe('exchange "h" did not route it to queue "eu-all": header "region" is "us", binding wants "eu"');
    const none = publish('h', '', { headers: { other: 1 } });
    expect(whyNot(none, 'eu-all').summary).toBe('exchange "h" did not route it to queue "eu-all": header "region" is missing (binding wants "eu")');
    const any = whyNot(us, 'eu-any');
    expect(any.summary).toBe(
      'exchange "h" did not route it to queue "eu-any": x-match=any needs one header to match and none did: header "region" is "us", binding wants "eu"; header "level" is missing (binding wants "high")',
    );
    const reason = any.reasons[0]!;
    expect(reason.kind === 'binding' && reason.verdict.headers?.rows.map((r) => [r.key, r.verdict])).toEqual([
      ['x-match', 'ignored'],
      ['region', 'mismatch'],
      ['level', 'missing'],
    ]);
  });

  it('direct: the key is not the binding key; each CC key that missed is its own reason', async () => {
    const { ch, publish, whyNot } = await setup();
    await ch.assertExchange('logs', 'direct', { durable: false });
    await ch.assertQueue('errors', { durable: false });
    await ch.bindQueue('errors', 'logs', 'error');
    const answer = whyNot(publish('logs', 'info', { CC: ['warning'] }), 'errors');
    expect(answer.summary).toBe('exchange "logs" did not route it to queue "errors": binding key "error" is not the routing key "info"');
    expect(texts(answer)).toEqual([
      'exchange "logs" did not route it to queue "errors": binding key "error" is not the routing key "info"',
      'exchange "logs" did not route it to queue "errors": binding key "error" is not the routing key "warning"',
    ]);
  });

  it('several bindings toward the queue: one reason each, and the summary counts the other paths', async () => {
    const { ch, publish, whyNot } = await setup();
    await ch.assertExchange('logs', 'direct', { durable: false });
    await ch.assertQueue('q', { durable: false });
    await ch.bindQueue('q', 'logs', 'error');
    await ch.bindQueue('q', 'logs', 'fatal');
    const answer = whyNot(publish('logs', 'info'), 'q');
    expect(kinds(answer)).toEqual(['binding', 'binding']);
    expect(answer.summary).toBe('exchange "logs" did not route it to queue "q": binding key "error" is not the routing key "info"; 1 other path toward it failed too');
  });
});

describe('no way there', () => {
  it('fanout with no binding to the queue: no path', async () => {
    const { ch, publish, whyNot } = await setup();
    await ch.assertExchange('logs', 'fanout', { durable: false });
    await ch.assertQueue('audit', { durable: false });
    await ch.assertQueue('screen', { durable: false });
    await ch.bindQueue('screen', 'logs', '');
    const answer = whyNot(publish('logs', ''), 'audit');
    expect(answer).toEqual({ queue: 'audit', arrived: false, summary: 'no path from exchange "logs" to queue "audit"', reasons: [{ kind: 'no-path', text: 'no path from exchange "logs" to queue "audit"' }] });
  });

  it('the queue does not exist', async () => {
    const { ch, publish, whyNot } = await setup();
    await ch.assertExchange('logs', 'fanout', { durable: false });
    const answer = whyNot(publish('logs', ''), 'ghost');
    expect(answer.reasons).toEqual([{ kind: 'no-queue', text: "queue \"ghost\" does not exist (NOT_FOUND - no queue 'ghost' in vhost '/')" }]);
  });

  it('the default exchange routes by queue name', async () => {
    const { ch, publish, whyNot } = await setup();
    await ch.assertQueue('q', { durable: false });
    await ch.assertQueue('other', { durable: false });
    expect(whyNot(publish('', 'other'), 'q').reasons).toEqual([{ kind: 'default-exchange', text: 'the default exchange routes by queue name: routing key "other" is not "q"' }]);
    expect(whyNot(publish('', 'a', { CC: ['b'] }), 'q').summary).toBe('the default exchange routes by queue name: none of the routing keys "a", "b" is "q"');
    // Published before the queue existed.
    const early = publish('', 'late');
    await ch.assertQueue('late', { durable: false });
    expect(whyNot(early, 'late').summary).toBe('the default exchange sends a message to the queue its routing key names, and no queue was named "late" when it was routed');
  });
});

describe('paths through other exchanges', () => {
  async function ordersAndAudit() {
    const s = await setup();
    const { ch } = s;
    await ch.assertExchange('orders', 'topic', { durable: false, alternateExchange: 'unrouted' });
    await ch.assertExchange('unrouted', 'fanout', { durable: false });
    await ch.assertExchange('audit', 'headers', { durable: false });
    await ch.assertQueue('eu', { durable: false });
    await ch.assertQueue('lost', { durable: false });
    await ch.assertQueue('audit-log', { durable: false });
    await ch.bindQueue('eu', 'orders', 'orders.*.eu');
    await ch.bindQueue('lost', 'unrouted', '');
    await ch.bindExchange('audit', 'orders', 'audit.#');
    await ch.bindQueue('audit-log', 'audit', '', { region: 'eu' });
    return s;
  }

  it('an exchange-to-exchange binding that did not match: the exchange was never reached, and why', async () => {
    const { publish, whyNot } = await ordersAndAudit();
    const answer = whyNot(publish('orders', 'orders.a.eu', { headers: { region: 'eu' } }), 'audit-log');
    expect(kinds(answer)).toEqual(['exchange-not-reached', 'binding']);
    expect(answer.reasons[0]).toEqual({
      kind: 'exchange-not-reached',
      exchange: 'audit',
      text: 'the message never reached exchange "audit", which leads to queue "audit-log", because exchange "orders" did not route it there: binding key "audit.#" does not match "orders.a.eu" (word 1: binding wants "audit", key has "orders")',
    });
    expect(answer.reasons[1]).toMatchObject({ kind: 'binding', exchange: 'orders', verdict: { destinationKind: 'exchange', destination: 'audit', bindingKey: 'audit.#' } });
    expect(answer.summary).toBe(answer.reasons[0]!.text);
  });

  it('an exchange that was reached: the failing hop is the next one', async () => {
    const { publish, whyNot } = await ordersAndAudit();
    const answer = whyNot(publish('orders', 'audit.x', { headers: { region: 'us' } }), 'audit-log');
    expect(answer.reasons).toEqual([expect.objectContaining({ kind: 'binding', exchange: 'audit' })]);
    expect(answer.summary).toBe('exchange "audit" did not route it to queue "audit-log": header "region" is "us", binding wants "eu"');
  });

  it('the alternate exchange leads there, but a binding matched so it was not used', async () => {
    const { publish, whyNot } = await ordersAndAudit();
    const answer = whyNot(publish('orders', 'orders.a.eu'), 'lost');
    expect(answer.reasons).toEqual([
      {
        kind: 'alternate-not-taken',
        exchange: 'orders',
        alternate: 'unrouted',
        text: 'exchange "orders" passes a message to its alternate exchange "unrouted" only when none of its bindings match, and its binding to queue "eu" (binding key "orders.*.eu") matched',
      },
    ]);
  });

  it('the alternate exchange was taken: why not the others', async () => {
    const { publish, whyNot } = await ordersAndAudit();
    const trace = publish('orders', 'nothing');
    expect(whyNot(trace, 'lost')).toMatchObject({ arrived: true, reasons: [] });
    expect(kinds(whyNot(trace, 'eu'))).toEqual(['binding']);
    expect(kinds(whyNot(trace, 'audit-log'))).toEqual(['exchange-not-reached', 'binding']);
  });

  it('an alternate exchange that did not exist when the message was routed', async () => {
    const { ch, publish, whyNot } = await setup();
    await ch.assertExchange('x', 'direct', { durable: false, alternateExchange: 'ae' });
    const trace = publish('x', 'k');
    await ch.assertExchange('ae', 'fanout', { durable: false });
    await ch.assertQueue('q', { durable: false });
    await ch.bindQueue('q', 'ae', '');
    expect(whyNot(trace, 'q').reasons).toEqual([
      { kind: 'exchange-not-reached', exchange: 'ae', text: 'no binding of exchange "x" matched, but the message never reached its alternate exchange "ae": it did not exist when this message was routed' },
    ]);
  });

  it('follows longer paths and ends on cycles: the first failing hop on each path', async () => {
    const { ch, publish, whyNot } = await setup();
    await ch.assertExchange('a', 'direct', { durable: false });
    await ch.assertExchange('b', 'direct', { durable: false });
    await ch.assertExchange('c', 'fanout', { durable: false });
    await ch.assertQueue('q', { durable: false });
    await ch.bindExchange('b', 'a', 'go'); // a -> b on "go"
    await ch.bindExchange('a', 'b', 'back'); // b -> a: a cycle
    await ch.bindExchange('c', 'b', 'deep'); // b -> c on "deep"
    await ch.bindQueue('q', 'c', '');
    const stopsAtA = whyNot(publish('a', 'stop'), 'q');
    expect(stopsAtA.reasons[0]).toMatchObject({ kind: 'exchange-not-reached', exchange: 'b' });
    expect(stopsAtA.summary).toContain('exchange "a" did not route it there: binding key "go" is not the routing key "stop"');
    const stopsAtB = whyNot(publish('a', 'go'), 'q');
    expect(stopsAtB.reasons[0]).toMatchObject({ kind: 'exchange-not-reached', exchange: 'c', text: expect.stringContaining('exchange "b" did not route it there') });
    expect(whyNot(publish('a', 'go', { CC: ['deep'] }), 'q').arrived).toBe(true);
  });

  it('a binding made after the message was routed', async () => {
    const { ch, publish, whyNot } = await setup();
    await ch.assertExchange('x', 'direct', { durable: false });
    await ch.assertQueue('q', { durable: false });
    const trace = publish('x', 'k');
    await ch.bindQueue('q', 'x', 'k');
    expect(whyNot(trace, 'q').reasons).toEqual([{ kind: 'no-path', text: 'the binding from exchange "x" to queue "q" with key "k" was made after this message was routed' }]);
  });
});

describe('the queue itself', () => {
  it('was full and its overflow is reject-publish', async () => {
    const { ch, publish, whyNot } = await setup();
    await ch.assertQueue('q', { durable: false, maxLength: 0, overflow: 'reject-publish' });
    const answer = whyNot(publish('', 'q'), 'q');
    expect(answer).toEqual({ queue: 'q', arrived: false, summary: 'queue "q" was full and its overflow is reject-publish', reasons: [{ kind: 'refused', text: 'queue "q" was full and its overflow is reject-publish' }] });
  });

  it('dropped it at once (x-max-length 0, drop-head)', async () => {
    const { ch, publish, whyNot } = await setup();
    await ch.assertQueue('q', { durable: false, maxLength: 0 });
    expect(whyNot(publish('', 'q'), 'q').reasons).toEqual([
      { kind: 'dropped', text: 'queue "q" dropped it: the queue was over its limit (x-max-length 0) with it, and x-overflow drop-head dropped it from the head' },
    ]);
  });

  it('the message did arrive', async () => {
    const { ch, publish, whyNot } = await setup();
    await ch.assertExchange('orders', 'topic', { durable: false });
    await ch.assertQueue('eu', { durable: false });
    await ch.bindQueue('eu', 'orders', 'orders.*.eu');
    const answer = whyNot(publish('orders', 'orders.big.eu'), 'eu');
    expect(answer).toEqual({
      queue: 'eu',
      arrived: true,
      summary: `the message reached queue "eu" through exchange "orders" ("orders" matched "orders", '*' took "big", "eu" matched "eu")`,
      reasons: [],
    });
    expect(whyNot(publish('', 'eu'), 'eu').summary).toBe('the message reached queue "eu" (the default exchange delivers to the queue named "eu")');
    await ch.consume('eu', () => {});
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(whyNot(publish('', 'eu'), 'eu').summary).toContain(', and went straight to a consumer');
  });
});

describe('other traces and tables', () => {
  it('reads a whatIf trace the same way', async () => {
    const { broker, ch } = await setup();
    await ch.assertExchange('orders', 'topic', { durable: false });
    await ch.assertQueue('audit', { durable: false });
    await ch.bindQueue('audit', 'orders', 'orders.*.eu');
    const trace = broker.whatIf('/', 'orders', 'orders.new.big.eu');
    expect(broker.whyNot('/', trace, 'audit').summary).toContain('needs 3 words');
  });

  it('reads a dead-lettering route from its dead-letter exchange', async () => {
    const { broker, ch, events, whyNot } = await setup();
    await ch.assertExchange('dlx', 'direct', { durable: false });
    await ch.assertQueue('parked', { durable: false });
    await ch.bindQueue('parked', 'dlx', 'parked');
    await ch.assertQueue('work', { durable: false, messageTtl: 10, deadLetterExchange: 'dlx' });
    ch.sendToQueue('work', Buffer.from('x'));
    broker.advance(10);
    const dead = events.find((e) => e.type === 'dead-lettered') as Extract<BrokerEvent, { type: 'dead-lettered' }>;
    expect(whyNot(dead.trace, 'parked').summary).toBe('exchange "dlx" did not route it to queue "parked": binding key "parked" is not the routing key "work"');
  });

  it('explainWhyNot takes any tables with exchanges and queues; a vhost is one', async () => {
    const { broker, ch, publish } = await setup();
    await ch.assertExchange('logs', 'fanout', { durable: false });
    await ch.assertQueue('audit', { durable: false });
    const trace = publish('logs', '');
    expect(explainWhyNot(trace, 'audit', broker.vhost('/')).summary).toBe('no path from exchange "logs" to queue "audit"');
    const other = broker.addVhost('other');
    expect(explainWhyNot(trace, 'audit', other).reasons[0]!.text).toBe("queue \"audit\" does not exist (NOT_FOUND - no queue 'audit' in vhost 'other')");
  });
});
