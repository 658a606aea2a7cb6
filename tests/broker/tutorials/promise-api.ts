/**
 * Tutorials 1, 3, 4, 5 in the current (promise API) form. Each program is the tutorial's code
 * with `amqp.connect(...)` changed to `broker.connect(...)`; `args` stands for process.argv.
 */

import type { Broker } from '../../../src/broker/index';

// Tutorial 1: "Hello World!" — send.js
export async function send(broker: Broker): Promise<void> {
  const connection = await broker.connect('amqp://localhost');
  const channel = await connection.createChannel();
  const queue = 'hello';
  const msg = 'Hello World!';
  await channel.assertQueue(queue, { durable: true, arguments: { 'x-queue-type': 'quorum' } });
  channel.sendToQueue(queue, Buffer.from(msg));
  console.log(' [x] Sent %s', msg);
  await channel.close();
  await connection.close();
}

// Tutorial 1: receive.js (keeps running: returns its connection so the test can stop it)
export async function receive(broker: Broker) {
  const connection = await broker.connect('amqp://localhost');
  const channel = await connection.createChannel();
  const queue = 'hello';
  await channel.assertQueue(queue, { durable: true, arguments: { 'x-queue-type': 'quorum' } });
  console.log(' [*] Waiting for messages in %s. To exit press CTRL+C', queue);
  await channel.consume(
    queue,
    (msg) => {
      if (msg) console.log(' [x] Received %s', msg.content.toString());
    },
    { noAck: true },
  );
  return connection;
}

// Tutorial 3: publish/subscribe — emit_log.js
export async function emitLog(broker: Broker, args: string[]): Promise<void> {
  const connection = await broker.connect('amqp://localhost');
  const channel = await connection.createChannel();
  const exchange = 'logs';
  const msg = args.join(' ') || 'Hello World!';
  await channel.assertExchange(exchange, 'fanout', { durable: false });
  channel.publish(exchange, '', Buffer.from(msg));
  console.log(' [x] Sent %s', msg);
  await channel.close();
  await connection.close();
}

// Tutorial 3: receive_logs.js
export async function receiveLogs(broker: Broker) {
  const connection = await broker.connect('amqp://localhost');
  const channel = await connection.createChannel();
  const exchange = 'logs';
  await channel.assertExchange(exchange, 'fanout', { durable: false });
  const q = await channel.assertQueue('', { exclusive: true });
  console.log(' [*] Waiting for messages in %s. To exit press CTRL+C', q.queue);
  await channel.bindQueue(q.queue, exchange, '');
  await channel.consume(
    q.queue,
    (msg) => {
      if (msg && msg.content) console.log(' [x] %s', msg.content.toString());
    },
    { noAck: true },
  );
  return connection;
}

// Tutorial 4: routing — emit_log_direct.js
export async function emitLogDirect(broker: Broker, args: string[]): Promise<void> {
  const connection = await broker.connect('amqp://localhost');
  const channel = await connection.createChannel();
  const exchange = 'direct_logs';
  const severity = args.length > 0 ? args[0]! : 'info';
  const msg = args.slice(1).join(' ') || 'Hello World!';
  await channel.assertExchange(exchange, 'direct', { durable: false });
  channel.publish(exchange, severity, Buffer.from(msg));
  console.log(" [x] Sent %s: '%s'", severity, msg);
  await channel.close();
  await connection.close();
}

// Tutorial 4: receive_logs_direct.js
export async function receiveLogsDirect(broker: Broker, args: string[]) {
  const connection = await broker.connect('amqp://localhost');
  const channel = await connection.createChannel();
  const exchange = 'direct_logs';
  await channel.assertExchange(exchange, 'direct', { durable: false });
  const q = await channel.assertQueue('', { exclusive: true });
  console.log(' [*] Waiting for logs. To exit press CTRL+C');
  for (const severity of args) await channel.bindQueue(q.queue, exchange, severity);
  await channel.consume(
    q.queue,
    (msg) => {
      if (msg) console.log(" [x] %s: '%s'", msg.fields.routingKey, msg.content.toString());
    },
    { noAck: true },
  );
  return connection;
}

// Tutorial 5: topics — emit_log_topic.js
export async function emitLogTopic(broker: Broker, args: string[]): Promise<void> {
  const connection = await broker.connect('amqp://localhost');
  const channel = await connection.createChannel();
  const exchange = 'topic_logs';
  const key = args.length > 0 ? args[0]! : 'anonymous.info';
  const msg = args.slice(1).join(' ') || 'Hello World!';
  await channel.assertExchange(exchange, 'topic', { durable: false });
  channel.publish(exchange, key, Buffer.from(msg));
  console.log(" [x] Sent %s: '%s'", key, msg);
  await channel.close();
  await connection.close();
}

// Tutorial 5: receive_logs_topic.js
export async function receiveLogsTopic(broker: Broker, args: string[]) {
  const connection = await broker.connect('amqp://localhost');
  const channel = await connection.createChannel();
  const exchange = 'topic_logs';
  await channel.assertExchange(exchange, 'topic', { durable: false });
  const q = await channel.assertQueue('', { exclusive: true });
  console.log(' [*] Waiting for logs. To exit press CTRL+C');
  for (const key of args) await channel.bindQueue(q.queue, exchange, key);
  await channel.consume(
    q.queue,
    (msg) => {
      if (msg) console.log(" [x] %s:'%s'", msg.fields.routingKey, msg.content.toString());
    },
    { noAck: true },
  );
  return connection;
}
