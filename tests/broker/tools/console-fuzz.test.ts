/**
 * No line breaks the console: random lines built from the console's own words, quotes, pipes
 * and junk (seeded) always come back as output and an exit status, never as a thrown error,
 * and leave the broker answering.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createBroker } from '../../../src/broker/index';
import { consoleHost, runConsole } from '../../../src/broker/tools/console';

const WORDS = [
  'rabbitmqctl', 'rabbitmqadmin', 'curl', 'help', 'sudo', 'python', 'list_queues', 'list_bindings', 'purge_queue', 'delete_queue', 'close_connection',
  'export_definitions', 'status', 'list', 'declare', 'delete', 'get', 'publish', 'queue', 'exchange', 'binding', 'name=q', 'type=topic', 'queue=q',
  'routing_key=#', 'payload=x', 'arguments={"x-max-length":1}', 'properties={}', '-q', '-p', '/', '--formatter', 'json', '-i', '-u', 'guest:guest',
  '-XDELETE', '-XPUT', '-XPOST', '-d', '{}', '{"durable":true}', 'http://localhost:15672/api/queues/%2f/q', 'http://localhost:15672/api/definitions',
  'http://localhost:15672/api/bindings/%2f/e/amq.topic/q/q', 'http://localhost:15672/api/exchanges/%2f/amq.default/publish', '|', 'sed', "'s/\\t/|/g'",
  'grep', 'column', '-t', 'head', 'wc', '-l', "'", '"', '\\', '%', '%zz', '\u0000', '__proto__', 'constructor', '💥', '-', '--', '=', '$(x)', ';',
];

describe('the console with random lines (seeded)', () => {
  it('answers every line with output and a status, never throwing', async () => {
    const broker = createBroker({ seed: 3 });
    const host = consoleHost(broker, { date: () => 'Sun, 06 Dec 2026 18:59:52 GMT' });
    await runConsole(host, 'rabbitmqadmin declare queue name=q');
    await fc.assert(
      fc.asyncProperty(fc.array(fc.constantFrom(...WORDS), { maxLength: 12 }), async (words) => {
        const result = await runConsole(host, words.join(' '));
        expect(typeof result.stdout).toBe('string');
        expect(typeof result.stderr).toBe('string');
        expect(Number.isInteger(result.status)).toBe(true);
      }),
      { seed: 11, numRuns: 3000 },
    );
    // The broker still answers.
    expect((await runConsole(host, 'rabbitmqctl list_vhosts -q')).stdout).toBe('name\n/\n');
  });
});
