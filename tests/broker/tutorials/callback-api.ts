/**
 * Tutorials 1, 3, 4, 5 in the older callback-API form (`amqplib/callback_api`, classic
 * `hello`). Each program is the tutorial's code with `amqp.connect(url, cb)` changed to
 * `broker.connect(url, cb)`, and without its final `process.exit`; `args` stands for argv.
 */
/* eslint-disable @typescript-eslint/no-explicit-any */

import type { Broker } from '../../../src/broker/index';

type Done = (connection: any) => void;

// Tutorial 1: send.js
export function send(broker: Broker, done: Done): void {
  broker.connect('amqp://localhost', function (error0: any, connection: any) {
    if (error0) throw error0;
    connection.createChannel(function (error1: any, channel: any) {
      if (error1) throw error1;
      const queue = 'hello';
      const msg = 'Hello World!';
      channel.assertQueue(queue, { durable: false });
      channel.sendToQueue(queue, Buffer.from(msg));
      console.log(' [x] Sent %s', msg);
      done(connection);
    });
  });
}

// Tutorial 1: receive.js
export function receive(broker: Broker, done: Done): void {
  broker.connect('amqp://localhost', function (error0: any, connection: any) {
    if (error0) throw error0;
    connection.createChannel(function (error1: any, channel: any) {
      if (error1) throw error1;
      const queue = 'hello';
      channel.assertQueue(queue, { durable: false });
      console.log(' [*] Waiting for messages in %s. To exit press CTRL+C', queue);
      channel.consume(
        queue,
        function (msg: any) {
          console.log(' [x] Received %s', msg.content.toString());
        },
        { noAck: true },
      );
      done(connection);
    });
  });
}

// Tutorial 3: emit_log.js
export function emitLog(broker: Broker, args: string[], done: Done): void {
  broker.connect('amqp://localhost', function (error0: any, connection: any) {
    if (error0) throw error0;
    connection.createChannel(function (error1: any, channel: any) {
      if (error1) throw error1;
      const exchange = 'logs';
      const msg = args.join(' ') || 'Hello World!';
      channel.assertExchange(exchange, 'fanout', { durable: false });
      channel.publish(exchange, '', Buffer.from(msg));
      console.log(' [x] Sent %s', msg);
      done(connection);
    });
  });
}

// Tutorial 3: receive_logs.js
export function receiveLogs(broker: Broker, done: Done): void {
  broker.connect('amqp://localhost', function (error0: any, connection: any) {
    if (error0) throw error0;
    connection.createChannel(function (error1: any, channel: any) {
      if (error1) throw error1;
      const exchange = 'logs';
      channel.assertExchange(exchange, 'fanout', { durable: false });
      channel.assertQueue('', { exclusive: true }, function (error2: any, q: any) {
        if (error2) throw error2;
        console.log(' [*] Waiting for messages in %s. To exit press CTRL+C', q.queue);
        channel.bindQueue(q.queue, exchange, '');
        channel.consume(
          q.queue,
          function (msg: any) {
            if (msg.content) console.log(' [x] %s', msg.content.toString());
          },
          { noAck: true },
        );
        done(connection);
      });
    });
  });
}

// Tutorial 4: emit_log_direct.js
export function emitLogDirect(broker: Broker, args: string[], done: Done): void {
  broker.connect('amqp://localhost', function (error0: any, connection: any) {
    if (error0) throw error0;
    connection.createChannel(function (error1: any, channel: any) {
      if (error1) throw error1;
      const exchange = 'direct_logs';
      const msg = args.slice(1).join(' ') || 'Hello World!';
      const severity = args.length > 0 ? args[0] : 'info';
      channel.assertExchange(exchange, 'direct', { durable: false });
      channel.publish(exchange, severity, Buffer.from(msg));
      console.log(" [x] Sent %s: '%s'", severity, msg);
      done(connection);
    });
  });
}

// Tutorial 4: receive_logs_direct.js
export function receiveLogsDirect(broker: Broker, args: string[], done: Done): void {
  broker.connect('amqp://localhost', function (error0: any, connection: any) {
    if (error0) throw error0;
    connection.createChannel(function (error1: any, channel: any) {
      if (error1) throw error1;
      const exchange = 'direct_logs';
      channel.assertExchange(exchange, 'direct', { durable: false });
      channel.assertQueue('', { exclusive: true }, function (error2: any, q: any) {
        if (error2) throw error2;
        console.log(' [*] Waiting for logs. To exit press CTRL+C');
        args.forEach(function (severity) {
          channel.bindQueue(q.queue, exchange, severity);
        });
        channel.consume(
          q.queue,
          function (msg: any) {
            console.log(" [x] %s: '%s'", msg.fields.routingKey, msg.content.toString());
          },
          { noAck: true },
        );
        done(connection);
      });
    });
  });
}

// Tutorial 5: emit_log_topic.js
export function emitLogTopic(broker: Broker, args: string[], done: Done): void {
  broker.connect('amqp://localhost', function (error0: any, connection: any) {
    if (error0) throw error0;
    connection.createChannel(function (error1: any, channel: any) {
      if (error1) throw error1;
      const exchange = 'topic_logs';
      const key = args.length > 0 ? args[0] : 'anonymous.info';
      const msg = args.slice(1).join(' ') || 'Hello World!';
      channel.assertExchange(exchange, 'topic', { durable: false });
      channel.publish(exchange, key, Buffer.from(msg));
      console.log(" [x] Sent %s: '%s'", key, msg);
      done(connection);
    });
  });
}

// Tutorial 5: receive_logs_topic.js
export function receiveLogsTopic(broker: Broker, args: string[], done: Done): void {
  broker.connect('amqp://localhost', function (error0: any, connection: any) {
    if (error0) throw error0;
    connection.createChannel(function (error1: any, channel: any) {
      if (error1) throw error1;
      const exchange = 'topic_logs';
      channel.assertExchange(exchange, 'topic', { durable: false });
      channel.assertQueue('', { exclusive: true }, function (error2: any, q: any) {
        if (error2) throw error2;
        console.log(' [*] Waiting for logs. To exit press CTRL+C');
        args.forEach(function (key) {
          channel.bindQueue(q.queue, exchange, key);
        });
        channel.consume(
          q.queue,
          function (msg: any) {
            console.log(" [x] %s:'%s'", msg.fields.routingKey, msg.content.toString());
          },
          { noAck: true },
        );
        done(connection);
      });
    });
  });
}
