/**
 * Tutorial 6 (RPC) in both forms the tutorial has used: the current one (promise API, a durable
 * quorum `rpc_queue`, the client on Direct Reply-to) and the older callback-API one (a transient
 * classic `rpc_queue`, the client on an exclusive server-named callback queue). Each program is
 * the tutorial's code with `amqp.connect(...)` changed to `broker.connect(...)`,
 * `process.argv.slice(2)` changed to `args`, `Math.random` changed to the `random` passed in (a
 * seeded generator, so correlation ids repeat from run to run), `setTimeout` the one passed in
 * (the broker's simulated clock), and without `process.exit`.
 */
/* eslint-disable @typescript-eslint/no-explicit-any */

import type { Broker } from '../../../src/broker/index';
import type { SetTimeout } from './work-queues';

type Done = (connection: any) => void;

function fibonacci(n: number): number {
  if (n === 0 || n === 1) return n;
  else return fibonacci(n - 1) + fibonacci(n - 2);
}

// ---- current form (promise API, Direct Reply-to) ----------------------------------------------

// rpc_server.js (keeps running: returns its connection so the test can stop it)
export async function rpcServer(broker: Broker) {
  const connection = await broker.connect('amqp://localhost');
  const channel = await connection.createChannel();

  const queue = 'rpc_queue';

  await channel.assertQueue(queue, {
    durable: true,
    arguments: {
      'x-queue-type': 'quorum',
    },
  });
  channel.prefetch(1);
  console.log(' [x] Awaiting RPC requests');
  channel.consume(queue, function reply(msg: any) {
    const n = parseInt(msg.content.toString());

    console.log(' [.] fib(%d)', n);

    const r = fibonacci(n);

    channel.sendToQueue(msg.properties.replyTo, Buffer.from(r.toString()), {
      correlationId: msg.properties.correlationId,
    });

    channel.ack(msg);
  });
  return connection;
}

// rpc_client.js: resolves once it has printed its answer and closed its connection.
export async function rpcClient(broker: Broker, args: string[], random: () => number): Promise<void> {
  if (args.length === 0) {
    console.log('Usage: rpc_client.js num');
    return;
  }

  function generateUuid() {
    return random().toString() + random().toString() + random().toString();
  }

  const connection = await broker.connect('amqp://localhost');
  const channel = await connection.createChannel();

  const correlationId = generateUuid();
  const num = parseInt(args[0]!);

  console.log(' [x] Requesting fib(%d)', num);

  const result = await new Promise((resolve) => {
    // Consume from the Direct Reply-to pseudo-queue (automatic acknowledgement mode is mandatory)
    channel.consume(
      'amq.rabbitmq.reply-to',
      (msg: any) => {
        if (msg.properties.correlationId === correlationId) {
          resolve(msg.content.toString());
        }
      },
      { noAck: true },
    );

    channel.sendToQueue('rpc_queue', Buffer.from(num.toString()), {
      correlationId: correlationId,
      replyTo: 'amq.rabbitmq.reply-to',
    });
  });

  console.log(' [.] Got %s', result);
  await connection.close();
}

// ---- older form (callback API, exclusive callback queue) ---------------------------------------

// rpc_server.js
export function callbackRpcServer(broker: Broker, done: Done): void {
  broker.connect('amqp://localhost', function (error0: any, connection: any) {
    if (error0) {
      throw error0;
    }
    connection.createChannel(function (error1: any, channel: any) {
      if (error1) {
        throw error1;
      }
      const queue = 'rpc_queue';

      channel.assertQueue(queue, {
        durable: false,
      });
      channel.prefetch(1);
      console.log(' [x] Awaiting RPC requests');
      channel.consume(queue, function reply(msg: any) {
        const n = parseInt(msg.content.toString());

        console.log(' [.] fib(%d)', n);

        const r = fibonacci(n);

        channel.sendToQueue(msg.properties.replyTo, Buffer.from(r.toString()), {
          correlationId: msg.properties.correlationId,
        });

        channel.ack(msg);
      });
      done(connection);
    });
  });
}

// rpc_client.js: `done` is called once the request is sent; the connection closes 500 ms after
// the answer arrives.
export function callbackRpcClient(broker: Broker, args: string[], setTimeout: SetTimeout, random: () => number, done: Done): void {
  if (args.length === 0) {
    console.log('Usage: rpc_client.js num');
    return;
  }

  function generateUuid() {
    return random().toString() + random().toString() + random().toString();
  }

  broker.connect('amqp://localhost', function (error0: any, connection: any) {
    if (error0) {
      throw error0;
    }
    connection.createChannel(function (error1: any, channel: any) {
      if (error1) {
        throw error1;
      }
      channel.assertQueue(
        '',
        {
          exclusive: true,
        },
        function (error2: any, q: any) {
          if (error2) {
            throw error2;
          }
          const correlationId = generateUuid();
          const num = parseInt(args[0]!);

          console.log(' [x] Requesting fib(%d)', num);

          channel.consume(
            q.queue,
            function (msg: any) {
              if (msg.properties.correlationId == correlationId) {
                console.log(' [.] Got %s', msg.content.toString());
                setTimeout(function () {
                  connection.close();
                }, 500);
              }
            },
            {
              noAck: true,
            },
          );

          channel.sendToQueue('rpc_queue', Buffer.from(num.toString()), {
            correlationId: correlationId,
            replyTo: q.queue,
          });
          done(connection);
        },
      );
    });
  });
}
