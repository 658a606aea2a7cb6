/**
 * rabbitmqctl against the broker core, compared with what RabbitMQ 4.3.6's own rabbitmqctl
 * printed for the same broker state (recorded with ../shared/oracle: the banners, the
 * tab-separated rows, the arguments column, the errors and exit codes).
 */
import { describe, expect, it } from 'vitest';
import { createBroker, type Broker } from '../../../src/broker/index';
import { consoleHost, runConsole } from '../../../src/broker/tools/console';

function consoleOf(broker: Broker) {
  return (line: string) => runConsole(consoleHost(broker, { date: () => 'Sun, 06 Dec 2026 18:59:52 GMT' }), line);
}

/** Tutorial 1's state: a durable quorum queue hello with four messages, nobody consuming. */
async function helloWorld() {
  const broker = createBroker({ seed: 1 });
  const connection = await broker.connect();
  const channel = await connection.createChannel();
  await channel.assertQueue('hello', { durable: true, arguments: { 'x-queue-type': 'quorum' } });
  for (let i = 0; i < 4; i++) channel.sendToQueue('hello', new TextEncoder().encode('Hello World!'));
  return { broker, channel, run: consoleOf(broker) };
}

describe('rabbitmqctl list_queues', () => {
  it("prints tutorial 1's observation, through the seed's sed", async () => {
    const { run } = await helloWorld();
    const line = "sudo rabbitmqctl list_queues name messages_ready messages_unacknowledged consumers state | sed 's/\\t/ | /g'";
    expect(await run(line)).toEqual({
      stdout: 'Timeout: 60.0 seconds ...\nListing queues for vhost / ...\nname | messages_ready | messages_unacknowledged | consumers | state\nhello | 4 | 0 | 0 | running\n',
      stderr: '',
      status: 0,
    });
  });

  it('has the default columns name and messages; -q keeps the header and rows; --no-table-headers drops the header', async () => {
    const { run } = await helloWorld();
    expect((await run('rabbitmqctl list_queues')).stdout).toBe('Timeout: 60.0 seconds ...\nListing queues for vhost / ...\nname\tmessages\nhello\t4\n');
    expect((await run('rabbitmqctl list_queues -q name messages')).stdout).toBe('name\tmessages\nhello\t4\n');
    expect((await run('rabbitmqctl list_queues --no-table-headers -q')).stdout).toBe('hello\t4\n');
    expect((await run('rabbitmqctl -q list_queues name,messages')).stdout).toBe('name\tmessages\nhello\t4\n');
  });

  it('prints no header row when there is no queue, as 4.3.6 does', async () => {
    const run = consoleOf(createBroker());
    expect((await run('rabbitmqctl list_queues')).stdout).toBe('Timeout: 60.0 seconds ...\nListing queues for vhost / ...\n');
    expect((await run('rabbitmqctl list_queues -q')).stdout).toBe('');
  });

  it('shows arguments as rabbitmqctl does (sorted, Erlang-ish, with the x-queue-type 4.x records), and exclusive blank for a quorum queue', async () => {
    const { run, channel } = await helloWorld();
    await channel.assertQueue('c1', { durable: false, arguments: { 'x-message-ttl': 60000, 'x-dead-letter-exchange': 'logs', 'x-max-priority': 5 } });
    expect((await run('rabbitmqctl list_queues -q name durable auto_delete exclusive arguments type state')).stdout).toBe(
      'name\tdurable\tauto_delete\texclusive\targuments\ttype\tstate\n' +
        'c1\tfalse\tfalse\tfalse\t[{"x-dead-letter-exchange","logs"},{"x-max-priority",5},{"x-message-ttl",60000},{"x-queue-type","classic"}]\tclassic\trunning\n' +
        'hello\ttrue\tfalse\t\t[{"x-queue-type","quorum"}]\tquorum\trunning\n',
    );
  });

  it('--formatter json prints one object per queue, arguments as [key, type, value]', async () => {
    const { run } = await helloWorld();
    const { stdout } = await run('rabbitmqctl list_queues -q --formatter json name messages arguments');
    expect(stdout.split('\n')[0]).toBe('[');
    expect(JSON.parse(stdout)).toEqual([{ name: 'hello', messages: 4, arguments: [['x-queue-type', 'longstr', 'quorum']] }]);
    expect(JSON.parse((await run('rabbitmqctl list_queues --formatter=json -q')).stdout)).toEqual([{ name: 'hello', messages: 4 }]);
  });

  it('refuses an unknown info item with the real error and exit code 64', async () => {
    const { run } = await helloWorld();
    const result = await run('rabbitmqctl list_queues name foo');
    expect(result.status).toBe(64);
    expect(result.stdout).toBe('Timeout: 60.0 seconds ...\nListing queues for vhost / ...\n');
    expect(result.stderr).toMatch(/^Error \(argument validation\): Info key\(s\) foo are not supported\nArguments given:\n\tlist_queues name foo\n\nUsage\n\nrabbitmqctl \[--node <node>\]/);
  });

  it('lists nothing for a vhost that does not exist', async () => {
    const { run } = await helloWorld();
    expect(await run('rabbitmqctl list_queues -p nope')).toEqual({ stdout: 'Timeout: 60.0 seconds ...\nListing queues for vhost nope ...\n', stderr: '', status: 0 });
  });
});

describe('rabbitmqctl list_exchanges, list_bindings, list_vhosts, list_consumers', () => {
  it("list_exchanges: the default set, the nameless default exchange first, then the diagram's", async () => {
    const { run, channel } = await helloWorld();
    await channel.assertExchange('logs', 'fanout', { durable: false });
    expect((await run('rabbitmqctl list_exchanges name type durable auto_delete')).stdout).toBe(
      [
        'Listing exchanges for vhost / ...',
        'name\ttype\tdurable\tauto_delete',
        '\tdirect\ttrue\tfalse',
        'amq.direct\tdirect\ttrue\tfalse',
        'amq.fanout\tfanout\ttrue\tfalse',
        'amq.headers\theaders\ttrue\tfalse',
        'amq.match\theaders\ttrue\tfalse',
        'amq.rabbitmq.log\ttopic\ttrue\tfalse',
        'amq.rabbitmq.trace\ttopic\ttrue\tfalse',
        'amq.topic\ttopic\ttrue\tfalse',
        'logs\tfanout\tfalse\tfalse',
        '',
      ].join('\n'),
    );
  });

  it("list_bindings: the default exchange's implicit binding first, then the others, arguments as rabbitmqctl prints them", async () => {
    const { run, channel } = await helloWorld();
    await channel.assertExchange('logs', 'fanout', { durable: false });
    await channel.bindQueue('hello', 'logs', 'k', { 'x-a': 1 });
    expect((await run('rabbitmqctl list_bindings')).stdout).toBe(
      'Listing bindings for vhost /...\nsource_name\tsource_kind\tdestination_name\tdestination_kind\trouting_key\targuments\n\texchange\thello\tqueue\thello\t[]\nlogs\texchange\thello\tqueue\tk\t[{"x-a",1}]\n',
    );
    expect((await run('rabbitmqctl list_bindings -q source_name routing_key')).stdout).toBe('source_name\trouting_key\n\thello\nlogs\tk\n');
  });

  it('list_vhosts and list_consumers', async () => {
    const { run, channel } = await helloWorld();
    expect((await run('rabbitmqctl list_vhosts')).stdout).toBe('Listing vhosts ...\nname\n/\n');
    expect((await run('rabbitmqctl list_consumers')).stdout).toBe('Listing consumers in vhost / ...\n');
    await channel.consume('hello', () => {}, { noAck: false, consumerTag: 'worker-1' });
    const { stdout } = await run('rabbitmqctl list_consumers -q queue_name consumer_tag ack_required prefetch_count');
    expect(stdout).toBe('queue_name\tconsumer_tag\tack_required\tprefetch_count\nhello\tworker-1\ttrue\t0\n');
  });
});

describe('rabbitmqctl list_connections and list_channels', () => {
  it('lists each connection with its peer, state, user and frame counts, as 4.3.6 names them', async () => {
    const { run, broker } = await helloWorld();
    const worker = await broker.connect();
    const channel = await worker.createChannel();
    await channel.prefetch(1);
    await channel.consume('hello', () => {}, { noAck: false });
    await new Promise((resolve) => setTimeout(resolve, 0));
    const { stdout } = await run("rabbitmqctl list_connections name state user channels send_cnt recv_cnt | sed 's/\t/ | /g'");
    const rows = stdout.split('\n').filter((l) => l.includes('->'));
    expect(rows).toHaveLength(2);
    for (const row of rows) expect(row).toMatch(/^127\.0\.0\.1:\d+ -> 127\.0\.0\.1:5672 \| running \| guest \| 1 \| \d+ \| \d+$/);
    // The worker sent: handshake 3, channel.open-ok, basic.qos-ok, basic.consume-ok, then one
    // delivery (prefetch 1) of 3 frames (method, header, body); it received the requests.
    const counts = rows[1]!.split(' | ').slice(-2).map(Number);
    expect(counts).toEqual([3 + 1 + 1 + 1 + 3, 3 + 1 + 1 + 1]);
    expect((await run('rabbitmqctl list_connections')).stdout).toMatch(/^Listing connections ...\nuser\tpeer_host\tpeer_port\tstate\nguest\t127\.0\.0\.1\t\d+\trunning\n/);
    expect((await run('rabbitmqctl list_channels -q consumer_count messages_unacknowledged prefetch_count')).stdout).toBe(
      'consumer_count\tmessages_unacknowledged\tprefetch_count\n0\t0\t0\n1\t1\t1\n',
    );
  });
});

describe('rabbitmqctl purge_queue, help and mistakes', () => {
  it('purge_queue empties a queue; a missing one is "not found" with exit code 69', async () => {
    const { run } = await helloWorld();
    expect(await run('rabbitmqctl purge_queue hello')).toEqual({ stdout: "Purging queue 'hello' in vhost '/' ...\n", stderr: '', status: 0 });
    expect((await run('rabbitmqctl list_queues -q')).stdout).toBe('name\tmessages\nhello\t0\n');
    expect(await run('rabbitmqctl purge_queue nope')).toEqual({
      stdout: "Purging queue 'nope' in vhost '/' ...\n",
      stderr: 'Object (queue, stream, exchange, etc) was not found\n',
      status: 69,
    });
    expect(await run('rabbitmqctl purge_queue')).toMatchObject({ status: 64, stderr: expect.stringMatching(/^Error \(argument validation\): not enough arguments/) });
  });

  it('delete_queue deletes and says how many ready messages went; a missing queue, --if-empty on a quorum queue, as 4.3.6 answers', async () => {
    const { run, channel } = await helloWorld();
    expect(await run('rabbitmqctl delete_queue nope')).toEqual({ stdout: "Deleting queue 'nope' on vhost '/' ...\n", stderr: 'Error:\nNo such queue was found\n', status: 64 });
    expect(await run('rabbitmqctl delete_queue hello --if-empty')).toEqual({
      stdout: "Deleting queue 'hello' on vhost '/' if queue is empty ...\n",
      stderr: `Error:\n{:amqp_error, :not_implemented, ~c"cannot delete queue 'hello' in vhost '/'. queue.delete operations with if-empty flag set are not supported by quorum queues", :none}\n`,
      status: 69,
    });
    await channel.assertQueue('c2', { durable: false });
    expect(await run('rabbitmqctl delete_queue -q c2')).toEqual({ stdout: 'Queue was successfully deleted with 0 ready messages\n', stderr: '', status: 0 });
    expect(await run('rabbitmqctl delete_queue hello')).toEqual({ stdout: "Deleting queue 'hello' on vhost '/' ...\nQueue was successfully deleted with 4 ready messages\n", stderr: '', status: 0 });
    expect((await run('rabbitmqctl list_queues -q')).stdout).toBe('');
  });

  it('an unknown command is refused as 4.3.6 refuses it, with its suggestion', async () => {
    const { run } = await helloWorld();
    expect(await run('rabbitmqctl list_foo')).toEqual({ stdout: '', stderr: "Command 'list_foo' not found. \nDid you mean 'list_connections'? \n", status: 64 });
    expect(await run('rabbitmqctl zzz')).toEqual({ stdout: '', stderr: "Command 'zzz' not found. \n", status: 64 });
    expect(await run('rabbitmqctl list_queues --bogus')).toMatchObject({ status: 64, stderr: expect.stringMatching(/unrecognised option --bogus/) });
  });

  it('status sums up the node; export_definitions - prints its definitions as JSON', async () => {
    const { run, channel } = await helloWorld();
    await channel.assertExchange('logs', 'fanout', { durable: false });
    await channel.bindQueue('hello', 'logs', '', {});
    const status = (await run('rabbitmqctl status')).stdout;
    expect(status).toMatch(/^Status of node rabbit@localhost \.\.\.\nRuntime\n/);
    expect(status).toContain('RabbitMQ version: 4.3.6');
    expect(status).toContain('Totals\n\nConnection count: 1\nQueue count: 1\nVirtual host count: 1\n');
    const definitions = JSON.parse((await run('rabbitmqctl export_definitions -')).stdout);
    expect(definitions).toMatchObject({ rabbit_version: '4.3.6', queues: [{ name: 'hello', durable: true, type: 'quorum', arguments: { 'x-queue-type': 'quorum' } }] });
    expect(definitions.exchanges.map((x: { name: string }) => x.name)).toEqual(['amq.rabbitmq.log', 'logs']);
    expect(definitions.bindings).toEqual([{ source: 'logs', vhost: '/', destination: 'hello', destination_type: 'queue', routing_key: '', arguments: {} }]);
    expect(await run('rabbitmqctl export_definitions')).toMatchObject({ status: 64 });
  });

  it('export_definitions FILE and import_definitions FILE round-trip through the console\'s files, as 4.3.6 words them', async () => {
    const broker = createBroker({ seed: 2 });
    const files = new Map<string, string>();
    const run = (line: string) => runConsole(consoleHost(broker, { date: () => 'x', files }), line);
    const channel = await (await broker.connect()).createChannel();
    await channel.assertExchange('logs', 'fanout', { durable: true });
    await channel.assertQueue('saved', { durable: true });
    await channel.bindQueue('saved', 'logs', '', {});
    expect(await run('rabbitmqctl export_definitions /tmp/x.json')).toEqual({ stdout: 'Exporting definitions in JSON to a file at "/tmp/x.json" ...\n', stderr: '', status: 0 });
    expect(JSON.parse((await run('cat /tmp/x.json')).stdout).queues[0]).toMatchObject({ name: 'saved' });
    // A new broker, and the file imported into it.
    const fresh = createBroker({ seed: 3 });
    const runFresh = (line: string) => runConsole(consoleHost(fresh, { date: () => 'x', files }), line);
    expect(await runFresh('rabbitmqctl import_definitions /tmp/x.json')).toEqual({
      stdout: 'Importing definitions in JSON from a file at "/tmp/x.json" ...\nSuccessfully started definition import. This process is asynchronous and can take some time. Watch target node logs for completion.\n',
      stderr: '',
      status: 0,
    });
    expect(fresh.inspect().queues.map((q) => q.name)).toEqual(['saved']);
    expect(fresh.inspect().bindings.some((b) => b.source_name === 'logs' && b.destination_name === 'saved')).toBe(true);
    expect(await runFresh('rabbitmqctl import_definitions /tmp/nope.json')).toMatchObject({ status: 65, stdout: '', stderr: expect.stringMatching(/^Error \(argument validation\): Bad argument: File \/tmp\/nope\.json does not exist\n/) });
    files.set('/tmp/bad.json', '{bad');
    expect(await runFresh('rabbitmqctl import_definitions /tmp/bad.json')).toEqual({
      stdout: 'Importing definitions in JSON from a file at "/tmp/bad.json" ...\n',
      stderr: 'Error:\nFailed to deserialise input (format: JSON) (error: {:unexpected_byte, "0x62", 1})\n',
      status: 65,
    });
    expect(await runFresh('cat /tmp/none')).toEqual({ stdout: '', stderr: 'cat: /tmp/none: No such file or directory\n', status: 1 });
  });

  it('close_connection closes the connection list_connections names by pid, with the reason', async () => {
    const { run, broker } = await helloWorld();
    const worker = await broker.connect();
    let closed = '';
    worker.on('error', (error: Error) => (closed = error.message));
    const pids = (await run('rabbitmqctl list_connections -q --no-table-headers pid')).stdout.trim().split('\n');
    expect(pids).toHaveLength(2);
    expect(await run(`rabbitmqctl close_connection "${pids[1]}" "go away"`)).toEqual({ stdout: `Closing connection ${pids[1]}, reason: go away...\n`, stderr: '', status: 0 });
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(closed).toMatch(/320 \(CONNECTION-FORCED\) with message "CONNECTION_FORCED - go away"/);
    expect((await run('rabbitmqctl list_connections -q --no-table-headers pid')).stdout.trim().split('\n')).toEqual([pids[0]]);
    expect(await run('rabbitmqctl close_connection nope bye')).toMatchObject({ status: 69, stderr: 'Error:\n{:invalid_pid_syntax, "nope"}\n' });
  });

  it('help lists the commands; help COMMAND gives its usage and columns', async () => {
    const { run } = await helloWorld();
    expect((await run('rabbitmqctl help')).stdout).toMatch(/list_queues +Lists queues and their properties/);
    expect((await run('rabbitmqctl help list_queues')).stdout).toMatch(/Info items \(columns\): name, durable, auto_delete, arguments/);
    expect((await run('help')).stdout).toMatch(/^Commands, run against this page's broker/);
  });
});
