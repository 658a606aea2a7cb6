/**
 * curl against the management API, compared with what RabbitMQ 4.3.6's management plugin
 * answered for the same requests (recorded with ../shared/oracle): status lines, the
 * headers `-i` shows, JSON bodies and error shapes.
 */
import { describe, expect, it } from 'vitest';
import { createBroker } from '../../../src/broker/index';
import { consoleHost, runConsole } from '../../../src/broker/tools/console';
import { changesBetween } from '../../../src/worker/console';

const DATE = 'Sun, 06 Dec 2026 18:59:52 GMT';
const API = 'http://localhost:15672/api';

async function setup() {
  const broker = createBroker({ seed: 1 });
  const run = (line: string) => runConsole(consoleHost(broker, { date: () => DATE }), line);
  const channel = await (await broker.connect()).createChannel();
  await channel.assertQueue('hello', { durable: true, arguments: { 'x-queue-type': 'quorum' } });
  for (let i = 0; i < 4; i++) channel.sendToQueue('hello', new TextEncoder().encode('Hello World!'));
  return { broker, run, channel };
}

describe('curl -i against the management API', () => {
  it("DELETE a queue: 204 No Content with Cowboy's headers, as tutorial 2's seed shows; then 404", async () => {
    const { run, broker } = await setup();
    const before = broker.inspect();
    const line = `curl -i -u guest:guest -H "content-type:application/json" -XDELETE ${API}/queues/%2f/hello`;
    expect((await run(line)).stdout).toBe(
      [
        'HTTP/1.1 204 No Content',
        'allow: HEAD, GET, PUT, DELETE, OPTIONS',
        'cache-control: public, max-age=0, must-revalidate',
        "content-security-policy: script-src 'self'; object-src 'self'",
        `date: ${DATE}`,
        'server: Cowboy',
        'vary: accept, accept-encoding, origin',
        '',
        '',
      ].join('\n'),
    );
    expect(broker.inspect().queues).toEqual([]);
    // The worker reports the deletion to the page, which takes the queue off the canvas.
    expect(changesBetween(before, broker.inspect())?.deleted.queues).toEqual(['hello']);
    const again = (await run(line)).stdout;
    expect(again.split('\n')[0]).toBe('HTTP/1.1 404 Not Found');
    expect(again).toContain('content-length: 49\n');
    expect(again.endsWith('\n\n{"error":"Object Not Found","reason":"Not Found"}')).toBe(true);
  });

  it('wrong or missing credentials: 401 not_authorized', async () => {
    const { run } = await setup();
    for (const user of ['-u guest:nope', '']) {
      const { stdout } = await run(`curl -i ${user} ${API}/queues`);
      expect(stdout.split('\n')[0]).toBe('HTTP/1.1 401 Unauthorized');
      expect(stdout.endsWith('{"error":"not_authorized","reason":"Not_Authorized"}')).toBe(true);
    }
  });

  it('PUT a queue: 201 Created, 204 for the same again, 400 with the broker\'s reason when inequivalent, 401 for an amq. name', async () => {
    const { run, broker } = await setup();
    const put = (name: string, body: string) => run(`curl -s -i -u guest:guest -H content-type:application/json -X PUT ${API}/queues/%2f/${name} -d '${body}'`).then((r) => r.stdout);
    expect((await put('tq', '{"durable":true}')).split('\n')[0]).toBe('HTTP/1.1 201 Created');
    expect((await put('tq', '{"durable":true}')).split('\n')[0]).toBe('HTTP/1.1 204 No Content');
    expect(broker.inspect().queues.map((q) => q.name).sort()).toEqual(['hello', 'tq']);
    expect(await put('hello', '{"durable":false}')).toMatch(
      /^HTTP\/1\.1 400 Bad Request[\s\S]*\{"error":"bad_request","reason":"inequivalent arg 'durable' for queue 'hello' in vhost '\/': received 'false' but current is 'true'"\}$/,
    );
    expect(await put('bad', '{"durable":"yes"}')).toMatch(/\{"error":"bad_request","reason":\["not_boolean","yes"\]\}$/);
    expect(await put('amq.x', '{}')).toMatch(/^HTTP\/1\.1 401 Unauthorized[\s\S]*\{"error":"not_authorised","reason":"Access refused\."\}$/);
  });

  it('GET queues and one queue, with their counts; exchanges; bindings with properties_key', async () => {
    const { run, channel } = await setup();
    await channel.assertExchange('logs', 'fanout', { durable: false });
    await channel.bindQueue('hello', 'logs', 'k', {});
    const queues = JSON.parse((await run(`curl -s -u guest:guest ${API}/queues`)).stdout);
    expect(queues).toEqual([expect.objectContaining({ name: 'hello', vhost: '/', durable: true, type: 'quorum', messages: 4, messages_ready: 4, consumers: 0, arguments: { 'x-queue-type': 'quorum' } })]);
    expect(JSON.parse((await run(`curl -s -u guest:guest ${API}/queues/%2F/hello`)).stdout)).toMatchObject({ name: 'hello', messages: 4 });
    expect(JSON.parse((await run(`curl -s -u guest:guest ${API}/exchanges/%2f/amq.direct`)).stdout)).toEqual({
      arguments: {}, auto_delete: false, durable: true, incoming: [], internal: false, name: 'amq.direct', outgoing: [], type: 'direct', user_who_performed_action: 'rmq-internal', vhost: '/',
    });
    expect(JSON.parse((await run(`curl -s -u guest:guest ${API}/bindings/%2f`)).stdout)).toEqual([
      { source: '', vhost: '/', destination: 'hello', destination_type: 'queue', routing_key: 'hello', arguments: {}, properties_key: 'hello' },
      { source: 'logs', vhost: '/', destination: 'hello', destination_type: 'queue', routing_key: 'k', arguments: {}, properties_key: 'k' },
    ]);
    expect((await run(`curl -s -i -u guest:guest ${API}/queues/%2f/nope`)).stdout.split('\n')[0]).toBe('HTTP/1.1 404 Not Found');
  });

  it('POST a binding (201 with its location), publish through an exchange ({"routed":…}), get and purge', async () => {
    const { run, broker } = await setup();
    const curl = (rest: string) => run(`curl -s -u guest:guest -H content-type:application/json ${rest}`).then((r) => r.stdout);
    await curl(`-XPUT ${API}/exchanges/%2f/logs -d '{"type":"fanout","durable":false}'`);
    const created = (await run(`curl -i -s -u guest:guest -XPOST ${API}/bindings/%2f/e/logs/q/hello -d '{"routing_key":"k2"}'`)).stdout;
    expect(created).toMatch(/^HTTP\/1\.1 201 Created\nlocation: \.\.\/\.\.\/\.\.\/\.\.\/%2F\/e\/logs\/q\/hello\/k2\n/);
    expect(await curl(`-XPOST ${API}/exchanges/%2f/logs/publish -d '{"properties":{},"routing_key":"","payload":"x","payload_encoding":"string"}'`)).toBe('{"routed":true}');
    expect(await curl(`-XPOST ${API}/exchanges/%2f/amq.default/publish -d '{"properties":{"correlation_id":"c1"},"routing_key":"nowhere","payload":"x","payload_encoding":"string"}'`)).toBe('{"routed":false}');
    expect(broker.inspect().queues[0]).toMatchObject({ messages: 5 });
    const got = JSON.parse(await curl(`-XPOST ${API}/queues/%2f/hello/get -d '{"count":2,"ackmode":"ack_requeue_true","encoding":"auto"}'`));
    expect(got).toHaveLength(2);
    expect(got[0]).toMatchObject({ payload: 'Hello World!', payload_encoding: 'string', routing_key: 'hello', exchange: '', redelivered: false, message_count: 4 });
    expect(broker.inspect().queues[0]).toMatchObject({ messages: 5 });
    expect((await run(`curl -i -s -u guest:guest -XDELETE ${API}/queues/%2f/hello/contents`)).stdout.split('\n')[0]).toBe('HTTP/1.1 204 No Content');
    expect(broker.inspect().queues[0]).toMatchObject({ messages: 0 });
    // A binding is named by its properties_key, as the path has it (4.3.6: a.%23 finds it, a.%2523 does not).
    await curl(`-XPOST ${API}/bindings/%2f/e/logs/q/hello -d '{"routing_key":"a.#"}'`);
    const keys = JSON.parse(await curl(`${API}/bindings/%2f/e/logs/q/hello`)).map((b: { properties_key: string }) => b.properties_key);
    expect(keys).toEqual(['k2', 'a.%23']);
    expect((await run(`curl -i -s -u guest:guest -XDELETE ${API}/bindings/%2f/e/logs/q/hello/a.%2523`)).stdout.split('\n')[0]).toBe('HTTP/1.1 404 Not Found');
    expect((await run(`curl -i -s -u guest:guest -XDELETE ${API}/bindings/%2f/e/logs/q/hello/a.%23`)).stdout.split('\n')[0]).toBe('HTTP/1.1 204 No Content');
  });

  it('overview counts; a wrong host or port fails as curl does', async () => {
    const { run } = await setup();
    expect(JSON.parse((await run(`curl -s -u guest:guest ${API}/overview`)).stdout)).toMatchObject({ rabbitmq_version: '4.3.6', object_totals: { queues: 1 }, queue_totals: { messages: 4 } });
    expect(await run('curl http://localhost:1567/api/overview')).toMatchObject({ status: 7, stderr: "curl: (7) Failed to connect to localhost port 1567 after 0 ms: Couldn't connect to server\n" });
    expect(await run('curl http://example.com/')).toMatchObject({ status: 6, stderr: 'curl: (6) Could not resolve host: example.com\n' });
  });
});

describe('curl /api/definitions and bodies', () => {
  it('GET gives the definitions; POST imports what is missing, keeps what exists, refuses a binding to nothing', async () => {
    const { run, broker } = await setup();
    const defs = JSON.parse((await run(`curl -s -u guest:guest ${API}/definitions`)).stdout);
    expect(defs.queues).toEqual([{ name: 'hello', vhost: '/', durable: true, auto_delete: false, type: 'quorum', arguments: { 'x-queue-type': 'quorum' } }]);
    const post = (json: string) => run(`curl -s -i -u guest:guest -XPOST ${API}/definitions -d '${json}'`).then((r) => r.stdout);
    expect((await post('{"exchanges":[{"name":"logs","vhost":"/","type":"fanout","durable":false}],"queues":[{"name":"imp","vhost":"/","durable":true},{"name":"hello","vhost":"/","durable":false}],"bindings":[{"source":"logs","vhost":"/","destination":"imp","destination_type":"queue","routing_key":""}]}')).split('\n')[0]).toBe('HTTP/1.1 204 No Content');
    expect(broker.inspect().queues.map((q) => [q.name, q.durable])).toEqual([['hello', true], ['imp', true]]);
    expect(broker.inspect().bindings.some((b) => b.source_name === 'logs' && b.destination_name === 'imp')).toBe(true);
    expect(await post('{"bindings":[{"source":"nope","vhost":"/","destination":"imp","destination_type":"queue","routing_key":"","arguments":{}}]}')).toMatch(
      /\{"error":"bad_request","reason":"\{resources_missing,\[\{not_found,\{resource,<<\\"\/\\">>,exchange,<<\\"nope\\">>\}\}\]\}"\}$/,
    );
    expect(await post('nope')).toMatch(/\{"error":"bad_request","reason":"failed_to_parse_json"\}$/);
    expect((await run(`curl -s -u guest:guest -XPUT ${API}/queues/%2f/zz -d 'nope'`)).stdout).toBe('{"error":"bad_request","reason":"not_json"}');
    expect((await run(`curl -s -u guest:guest -XPUT ${API}/queues/%2f/zz -d '[1]'`)).stdout).toBe('{"error":"bad_request","reason":"not_json"}');
  });
});
