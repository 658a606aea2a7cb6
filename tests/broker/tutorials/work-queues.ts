/**
 * Tutorial 2 (work queues) in both forms the tutorial has used: the current one (promise API,
 * `task_queue` a durable quorum queue) and the older callback-API one (`task_queue` a durable
 * classic queue). Each program is the tutorial's code with `amqp.connect(...)` changed to
 * `broker.connect(...)`, `process.argv.slice(2)` changed to `args`, `setTimeout` the one passed
 * in (the broker's simulated clock), and without `process.exit`.
 */
/* eslint-disable @typescript-eslint/no-explicit-any */

import type { Broker } from '../../../src/broker/index';

/** `setTimeout` as the programs use it: the test passes the broker's simulated one. */
export type SetTimeout = (fn: () => void, ms: number) => unknown;

type Done = (connection: any) => void;

// ---- current form (promise API) --------------------------------------------------------------

// new_task.js
export async function newTask(broker: Broker, args: string[], setTimeout: SetTimeout): Promise<void> {
  const connection = await broker.connect('amqp://localhost');
  const channel = await connection.createChannel();

  const queue = 'task_queue';
  const msg = args.join(' ') || 'Hello World!';

  await channel.assertQueue(queue, {
    durable: true,
    arguments: {
      'x-queue-type': 'quorum',
    },
  });
  channel.sendToQueue(queue, Buffer.from(msg), {
    persistent: true,
  });
  console.log(" [x] Sent '%s'", msg);

  setTimeout(function () {
    connection.close();
  }, 500);
}

// worker.js (keeps running: returns its connection so the test can stop it)
export async function worker(broker: Broker, setTimeout: SetTimeout) {
  const connection = await broker.connect('amqp://localhost');
  const channel = await connection.createChannel();

  const queue = 'task_queue';

  await channel.assertQueue(queue, {
    durable: true,
    arguments: {
      'x-queue-type': 'quorum',
    },
  });
  channel.prefetch(1);
  console.log(' [*] Waiting for messages in %s. To exit press CTRL+C', queue);
  channel.consume(
    queue,
    function (msg: any) {
      const secs = msg.content.toString().split('.').length - 1;

      console.log(' [x] Received %s', msg.content.toString());
      setTimeout(function () {
        console.log(' [x] Done');
        channel.ack(msg);
      }, secs * 1000);
    },
    {
      // manual acknowledgment mode,
      // see /docs/confirms for details
      noAck: false,
    },
  );
  return connection;
}

// ---- older form (callback API, classic durable task_queue) ------------------------------------

// new_task.js: `done` is called once the task is sent; the connection closes 500 ms later.
export function callbackNewTask(broker: Broker, args: string[], setTimeout: SetTimeout, done: Done): void {
  broker.connect('amqp://localhost', function (error0: any, connection: any) {
    if (error0) {
      throw error0;
    }
    connection.createChannel(function (error1: any, channel: any) {
      if (error1) {
        throw error1;
      }
      const queue = 'task_queue';
      const msg = args.join(' ') || 'Hello World!';

      channel.assertQueue(queue, {
        durable: true,
      });
      channel.sendToQueue(queue, Buffer.from(msg), {
        persistent: true,
      });
      console.log(" [x] Sent '%s'", msg);
      done(connection);
    });
    setTimeout(function () {
      connection.close();
    }, 500);
  });
}

// worker.js
export function callbackWorker(broker: Broker, setTimeout: SetTimeout, done: Done): void {
  broker.connect('amqp://localhost', function (error0: any, connection: any) {
    if (error0) {
      throw error0;
    }
    connection.createChannel(function (error1: any, channel: any) {
      if (error1) {
        throw error1;
      }
      const queue = 'task_queue';

      channel.assertQueue(queue, {
        durable: true,
      });
      channel.prefetch(1);
      console.log(' [*] Waiting for messages in %s. To exit press CTRL+C', queue);
      channel.consume(
        queue,
        function (msg: any) {
          const secs = msg.content.toString().split('.').length - 1;

          console.log(' [x] Received %s', msg.content.toString());
          setTimeout(function () {
            console.log(' [x] Done');
            channel.ack(msg);
          }, secs * 1000);
        },
        {
          // manual acknowledgment mode,
          // see ../confirms.html for details
          noAck: false,
        },
      );
      done(connection);
    });
  });
}
