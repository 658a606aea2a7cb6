/**
 * RabbitMQ's own routing expectations (../shared/semantics/vectors.json), each run through the
 * public API as a user would: declare an exchange and a queue, bind, publish, get.
 */

import { describe, expect, it } from 'vitest';
import { createBroker, type Channel } from '../../src/broker/index';
import { loadVectors } from './support/reference';
/* eslint-disable @typescript-eslint/no-explicit-any */

const vectors = loadVectors();

/** Amqplib's typed value for a vector's `[name, amqpType, value]`. */
function amqplibValue(type: string, value: unknown): unknown {
  switch (type) {
    case 'longstr':
    case 'bool':
      return value;
    case 'void':
      return null;
    case 'signedint':
      return { '!': 'int', value };
    default:
      return { '!': type, value };
  }
}

function typedTable(rows: [string, string, unknown][] | null): Record<string, unknown> | undefined {
  if (!rows) return undefined;
  return Object.fromEntries(rows.map(([name, type, value]) => [name, amqplibValue(type, value)]));
}

async function channel(): Promise<Channel> {
  const conn = await createBroker().connect();
  return conn.createChannel();
}

/** Declares exchange `x` of `type` with one queue bound by `bind`, publishes, and reports delivery. */
async function routes(type: string, bind: (ch: Channel) => Promise<unknown>, publish: (ch: Channel) => void): Promise<boolean> {
  const ch = await channel();
  await ch.assertExchange('x', type, { durable: false });
  await ch.assertQueue('q', { durable: false });
  await bind(ch);
  publish(ch);
  const msg = await ch.get('q', { noAck: true });
  return msg !== false;
}

describe('topic vectors', () => {
  const accepted = vectors.topic.filter((v: any) => !v.refusedSince);
  const refused = vectors.topic.filter((v: any) => v.refusedSince);

  it.each(accepted.map((v: any) => [v.binding, v.routingKey, v.match]) as [string, string, boolean][])('binding %j, key %j: match %s', async (binding, routingKey, match) => {
    const got = await routes(
      'topic',
      (ch) => ch.bindQueue('q', 'x', binding),
      (ch) => ch.publish('x', routingKey, Buffer.from('m')),
    );
    expect(got).toBe(match);
  });

  it.each(refused.map((v: any) => [v.binding, v.routingKey]) as [string, string][])('binding %j (more than two #) is refused at bind time (key %j)', async (binding) => {
    const ch = await channel();
    await ch.assertExchange('x', 'topic', { durable: false });
    await ch.assertQueue('q', { durable: false });
    const hashes = binding.split('.').filter((w: string) => w === '#').length;
    await expect(ch.bindQueue('q', 'x', binding)).rejects.toMatchObject({
      code: 406,
      message: `Operation failed: QueueBind; 406 (PRECONDITION-FAILED) with message "PRECONDITION_FAILED - Topic binding key '${binding}' uses ${hashes} '#' wildcards, at most 2 are allowed"`,
    });
  });
});

describe('topic binding validation vectors', () => {
  it.each(vectors.topicBindingValidation.map((v: any) => [v.binding, v.acceptedIn4_3_6]) as [string, boolean][])('%j accepted: %s', async (binding, accepted) => {
    const ch = await channel();
    await ch.assertExchange('x', 'topic', { durable: false });
    await ch.assertQueue('q', { durable: false });
    const bound = ch.bindQueue('q', 'x', binding);
    if (accepted) await expect(bound).resolves.toEqual({});
    else await expect(bound).rejects.toMatchObject({ code: 406 });
  });
});

describe('headers vectors', () => {
  it.each(vectors.headers.map((v: any) => [v.id, v]) as [string, any][])('%s', async (_id, v: any) => {
    const args = typedTable(v.typed.bindingArgs);
    const headers = typedTable(v.typed.headers);
    const got = await routes(
      'headers',
      (ch) => ch.bindQueue('q', 'x', '', args),
      (ch) => ch.publish('x', '', Buffer.from('m'), headers ? { headers } : {}),
    );
    expect(got).toBe(v.match);
  });
});

describe('headers binding validation vectors', () => {
  it.each(vectors.headersBindingValidation.map((v: any) => [JSON.stringify(v.bindingArgs), v]) as [string, any][])('%s', async (_label, v: any) => {
    const ch = await channel();
    await ch.assertExchange('x', 'headers', { durable: false });
    await ch.assertQueue('q', { durable: false });
    const bound = ch.bindQueue('q', 'x', '', v.bindingArgs);
    if (v.accepted) await expect(bound).resolves.toEqual({});
    else await expect(bound).rejects.toMatchObject({ code: v.error.code, message: expect.stringContaining(v.error.name) });
  });
});

describe('direct vectors', () => {
  it.each(vectors.direct.map((v: any) => [v.binding, v.routingKey, v.cc ?? [], v.match]) as [string, string, string[], boolean][])('binding %j, key %j, CC %j: match %s', async (binding, routingKey, cc, match) => {
    const got = await routes(
      'direct',
      (ch) => ch.bindQueue('q', 'x', binding),
      (ch) => ch.publish('x', routingKey, Buffer.from('m'), cc.length ? { CC: cc } : {}),
    );
    expect(got).toBe(match);
  });
});
