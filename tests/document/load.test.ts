/**
 * The loader (src/document/load.ts), the schema (schema.ts) and the file format (file.ts): valid
 * diagrams come back equal and unrepaired; each repair is made and said; what cannot be repaired
 * is refused with a sentence; caps hold; the input is never changed; Object.prototype is never
 * touched.
 */

import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import { emptyDiagram, makeNode } from '../../src/document/diagram';
import { FILE_FORMAT, diagramFromFile, diagramToFile } from '../../src/document/file';
import { canonicalJson } from '../../src/document/json';
import { LOAD_LIMITS, loadDiagram, type LoadResult } from '../../src/document/load';
import { DIAGRAM_LIMITS, TABLE_LIMITS, parseDiagram, tableProblem } from '../../src/document/schema';
import type { Diagram, DiagramNode } from '../../src/document/types';
import { validateDiagram } from '../../src/document/validate';
import { command, toAction } from './support/commands';

const SEED = 20_260_602;

/** Random valid diagrams: the gateway's random edits (tests/document/support/commands.ts). */
const diagrams = fc.array(command, { minLength: 5, maxLength: 60 }).map((commands) => {
  let d = emptyDiagram();
  for (const c of commands) {
    const r = toAction(d, c).perform(d);
    if (r.ok) d = r.diagram;
  }
  return d;
});

const node = (kind: DiagramNode['kind'], id: string, name: string, x = 0, y = 0) => makeNode(kind, id, name, { x, y });

/** A small valid diagram: producer → exchange → queue → consumer. */
function sample(): Diagram {
  return {
    version: 1,
    nodes: [
      { ...(node('producer', 'p', 'shop') as Extract<DiagramNode, { kind: 'producer' }>), target: { kind: 'exchange', id: 'x' } },
      node('exchange', 'x', 'orders', 200),
      node('queue', 'q', 'orders.eu', 400),
      { ...(node('consumer', 'c', 'worker', 600) as Extract<DiagramNode, { kind: 'consumer' }>), queue: 'q' },
    ],
    bindings: [{ id: 'b', source: 'x', destination: { kind: 'queue', id: 'q' }, routingKey: 'order.eu.*', arguments: {} }],
  };
}

/** The raw JSON form of a diagram, to break in tests. */
const raw = (d: Diagram = sample()) => JSON.parse(JSON.stringify(d)) as Record<string, any>;

function loaded(input: unknown): { diagram: Diagram; repairs: string[] } {
  const result = loadDiagram(input);
  if (!result.ok) throw new Error(`refused: ${result.message}`);
  expect(validateDiagram(result.diagram)).toEqual([]);
  return result;
}

function refusal(input: unknown): string {
  const result = loadDiagram(input);
  expect(result.ok).toBe(false);
  return (result as Extract<LoadResult, { ok: false }>).message;
}

afterEach(() => {
  // No test may leave anything on Object.prototype.
  expect(Object.keys(Object.prototype)).toEqual([]);
  expect(({} as Record<string, unknown>).polluted).toBeUndefined();
});

describe('the schema', () => {
  it('parses every valid diagram to an equal one (round trip, seeded)', () => {
    fc.assert(
      fc.property(diagrams, (d) => {
        const parsed = parseDiagram(JSON.parse(JSON.stringify(d)));
        expect(parsed).toEqual({ ok: true, diagram: d });
      }),
      { seed: SEED, numRuns: 200 },
    );
  });

  it('says where the first problem is', () => {
    const d = raw();
    d.nodes[1].durable = 'yes';
    expect(parseDiagram(d)).toEqual({ ok: false, path: ['nodes', 1, 'durable'], message: 'must be true or false' });
  });

  it('caps field tables: depth, size, key length, JSON values only, no prototype keys', () => {
    let deep: unknown = 1;
    for (let i = 0; i < TABLE_LIMITS.depth; i++) deep = { a: deep };
    expect(tableProblem(deep)).toBeNull();
    expect(tableProblem({ a: deep })).toBe(`must be nested at most ${TABLE_LIMITS.depth} levels deep`);
    expect(tableProblem(Object.fromEntries(Array.from({ length: TABLE_LIMITS.values + 1 }, (_, i) => [`k${i}`, i])))).toBe(`must hold at most ${TABLE_LIMITS.values} values`);
    expect(tableProblem({ ['k'.repeat(256)]: 1 })).toBe('must have keys of at most 255 bytes');
    expect(tableProblem({ a: 'x'.repeat(64 * 1024 + 1) })).toBe('must hold texts of at most 64 KiB each');
    expect(tableProblem({ a: Number.NaN })).toBe('must hold finite numbers only');
    expect(tableProblem({ a: new Date(0) })).toMatch(/JSON values only/);
    expect(tableProblem(JSON.parse('{"__proto__": {"polluted": 1}}'))).toBe("cannot have a key named '__proto__'");
    expect(tableProblem([])).toBe('must be a table (a JSON object)');
    expect(tableProblem(Object.create(null))).toBeNull();
  });
});

describe('loading a valid diagram', () => {
  it('gives it back equal, with nothing repaired (seeded)', () => {
    fc.assert(
      fc.property(diagrams, (d) => {
        expect(loadDiagram(JSON.parse(JSON.stringify(d)))).toEqual({ ok: true, diagram: d, repairs: [] });
      }),
      { seed: SEED, numRuns: 200 },
    );
  });

  it('never changes its input, and the diagram it gives shares nothing with it', () => {
    const input = raw();
    input.nodes[2].arguments = { 'x-message-ttl': 1000, nested: { a: [1, { b: 2 }] } };
    const frozen = deepFreeze(structuredClone(input));
    const { diagram } = loaded(frozen);
    expect(diagram).toEqual(input);
    const args = (diagram.nodes[2] as Extract<DiagramNode, { kind: 'queue' }>).arguments as { nested: { a: unknown[] } };
    expect(args.nested).not.toBe((frozen as typeof input).nodes[2].arguments.nested);
    expect(args.nested.a).not.toBe((frozen as typeof input).nodes[2].arguments.nested.a);
  });
});

describe('repairs, each said in a sentence', () => {
  it('a missing version and list of bindings, unknown fields', () => {
    const d = raw();
    delete d.version;
    delete d.bindings;
    d.theme = 'dark';
    d.nodes[2].colour = 'red';
    d.nodes[2].size = 3;
    const { diagram, repairs } = loaded(d);
    expect(diagram.bindings).toEqual([]);
    expect(repairs).toEqual([
      'Read it as a version 1 diagram: it had no version number.',
      "Dropped what the diagram had that a diagram does not: 'theme'.",
      'Gave the diagram an empty list of bindings: it had none.',
      "Dropped what queue 'orders.eu' had that a diagram does not: 'colour', 'size'.",
    ]);
  });

  it('missing settings get the defaults of a new node', () => {
    const d = raw();
    delete d.nodes[1].durable;
    delete d.nodes[1].type;
    delete d.nodes[2].arguments;
    delete d.nodes[3].prefetch;
    delete d.nodes[3].failure;
    delete d.nodes[0].message.body;
    delete d.nodes[0].mode;
    delete d.bindings[0].arguments;
    const { diagram, repairs } = loaded(d);
    expect(diagram).toEqual({ ...sample(), nodes: sample().nodes.map((n) => (n.id === 'q' ? { ...n, arguments: { 'x-queue-type': 'classic' } } : n)) });
    expect(repairs).toEqual([
      'Filled in what producer \'shop\' lacked with the defaults: mode {"kind":"once"}.',
      "Filled in what producer 'shop''s message lacked with the defaults: body 'Hello World!'.",
      "Filled in what exchange 'orders' lacked with the defaults: type 'topic', durable true.",
      'Filled in what queue \'orders.eu\' lacked with the defaults: arguments {"x-queue-type":"classic"}.',
      'Filled in what consumer \'worker\' lacked with the defaults: prefetch 1, failure {"action":"nack-requeue","rate":0}.',
      "Filled in what the binding from exchange 'orders' to queue 'orders.eu' with key 'order.eu.*' lacked with the defaults: arguments {}.",
    ]);
  });

  it('missing, duplicate and unusable ids get fresh ones; links keep to the first holder', () => {
    const d = raw();
    d.nodes[2].id = 'x'; // the queue takes the exchange's id
    d.nodes[3].queue = 'x'; // which the consumer then reads: that is the exchange
    d.nodes.push(node('queue', 'q9', 'other'));
    d.bindings.push({ ...d.bindings[0], id: 'c', destination: { kind: 'queue', id: 'q9' } });
    delete d.nodes[0].id;
    d.nodes.push({ ...d.nodes[2], id: 7, name: 'orders.us' });
    const { diagram, repairs } = loaded(d);
    expect(diagram.nodes.map((n) => n.id)).toEqual(['producer-1', 'x', 'queue-1', 'c', 'q9', 'queue-2']);
    expect(diagram.bindings.map((b) => b.id)).toEqual(['binding-1']);
    expect(repairs).toEqual([
      "Gave producer 'shop' the id 'producer-1': it had none.",
      "Gave queue 'orders.eu' the id 'queue-1': 'x' was already another element's.",
      "Gave queue 'orders.us' the id 'queue-2': its id was not usable.",
      "Unlinked consumer 'worker': consumer 'worker' cannot consume from exchange 'orders': consumers read queues; bind a queue to the exchange and consume from it.",
      "Dropped binding 1 with key 'order.eu.*': its destination 'q' is not in the diagram.",
      "Gave the binding from exchange 'orders' to queue 'other' with key 'order.eu.*' the id 'binding-1': 'c' was already another element's.",
    ]);
  });

  it('duplicate names get a suffix; a second built-in exchange becomes the first', () => {
    const d = raw();
    d.nodes.push(node('queue', 'q2', 'orders.eu', 400, 100), node('queue', 'q3', 'orders.eu-2'), node('exchange', 'a1', 'amq.topic'), node('exchange', 'a2', 'amq.topic'));
    d.bindings.push({ id: 'b2', source: 'a2', destination: { kind: 'queue', id: 'q2' }, routingKey: '#', arguments: {} });
    const { diagram, repairs } = loaded(d);
    expect(diagram.nodes.filter((n) => n.kind === 'queue').map((n) => n.name)).toEqual(['orders.eu', 'orders.eu-3', 'orders.eu-2']);
    expect(diagram.nodes.map((n) => n.id)).not.toContain('a2');
    expect(diagram.bindings[1]).toEqual({ id: 'b2', source: 'a1', destination: { kind: 'queue', id: 'q2' }, routingKey: '#', arguments: {} });
    expect(repairs).toEqual([
      "Renamed the second queue 'orders.eu' 'orders.eu-3': two queues cannot share a name.",
      "Merged a second exchange 'amq.topic' into the first: each exchange name exists once in RabbitMQ.",
    ]);
  });

  it('a built-in exchange gets its declaration back', () => {
    const d = raw();
    d.nodes[1] = { ...d.nodes[1], name: 'amq.direct', type: 'fanout', durable: false, arguments: { a: 1 } };
    const { diagram, repairs } = loaded(d);
    expect(diagram.nodes[1]).toMatchObject({ name: 'amq.direct', type: 'direct', durable: true, autoDelete: false, internal: false, arguments: {} });
    expect(repairs).toEqual(["Gave exchange 'amq.direct' its built-in declaration (a direct exchange, durable, not internal, no arguments): it cannot change."]);
  });

  it('positions: missing, not numbers, not finite, far away', () => {
    const d = raw();
    delete d.nodes[0].position;
    d.nodes[1].position = { x: 'left', y: Number.POSITIVE_INFINITY };
    d.nodes[2].position = { x: Number.NaN, y: 5 };
    d.nodes[3].position = { x: -1e300, y: 1e7 };
    const { diagram, repairs } = loaded(d);
    expect(diagram.nodes.map((n) => n.position)).toEqual([
      { x: 0, y: 0 },
      { x: 0, y: 0 },
      { x: 0, y: 5 },
      { x: -LOAD_LIMITS.coordinate, y: LOAD_LIMITS.coordinate },
    ]);
    expect(repairs).toEqual([
      "Placed producer 'shop' at 0, 0: it had no position.",
      "Moved exchange 'orders' to 0, 0: its position was not two numbers within ±1,000,000.",
      "Moved queue 'orders.eu' to 0, 5: its position was not two numbers within ±1,000,000.",
      "Moved consumer 'worker' to -1000000, 1000000: its position was not two numbers within ±1,000,000.",
    ]);
  });

  it('a producer publishing where it cannot is unlinked; a wrong kind is corrected', () => {
    const cases: [unknown, string | null, Diagram['nodes'][number]['kind'] | null][] = [
      [{ kind: 'exchange', id: 'gone' }, "Unlinked producer 'shop': it published to 'gone', which is not in the diagram.", null],
      [{ kind: 'queue', id: 'c' }, "Unlinked producer 'shop': it published to a consumer; a producer publishes to an exchange or a queue.", null],
      ['x', "Unlinked producer 'shop': its target was not { kind, id }.", null],
      [{ kind: 'queue', id: 'x' }, "Producer 'shop' publishes to exchange 'orders': its target said 'queue'.", 'exchange'],
      [{ id: 'q' }, null, 'queue'],
    ];
    for (const [target, repair, kind] of cases) {
      const d = raw();
      d.nodes[0].target = target;
      const { diagram, repairs } = loaded(d);
      const p = diagram.nodes[0] as Extract<DiagramNode, { kind: 'producer' }>;
      expect(p.target?.kind ?? null).toBe(kind);
      expect(repairs).toEqual(repair ? [repair] : []);
    }
    const d = raw();
    d.nodes[1].internal = true;
    expect(loaded(d).repairs).toEqual([
      "Unlinked producer 'shop': producer 'shop' cannot publish to exchange 'orders': it is internal, and RabbitMQ refuses publishes to an internal exchange (403 ACCESS_REFUSED); it only takes messages from other exchanges.",
    ]);
  });

  it('a consumer reading what is not a queue is unlinked', () => {
    for (const [queue, repair] of [
      ['gone', "Unlinked consumer 'worker': it read from 'gone', which is not in the diagram."],
      [3, "Unlinked consumer 'worker': its queue was not an id."],
    ] as const) {
      const d = raw();
      d.nodes[3].queue = queue;
      const { diagram, repairs } = loaded(d);
      expect((diagram.nodes[3] as Extract<DiagramNode, { kind: 'consumer' }>).queue).toBeNull();
      expect(repairs).toEqual([repair]);
    }
  });

  it('bindings without an end, impossible or twice are dropped; a wrong end kind is corrected', () => {
    const d = raw();
    const b = d.bindings[0];
    d.nodes.push(node('queue', 'q2', 'other'));
    d.bindings = [
      { ...b, id: 'b1', source: 'gone' },
      { ...b, id: 'b2', destination: { kind: 'queue', id: 'gone' } },
      { ...b, id: 'b3', source: 'q', destination: { kind: 'queue', id: 'q2' } },
      { ...b, id: 'b4', destination: { kind: 'exchange', id: 'q' } },
      { ...b, id: 'b5', arguments: {} },
      { ...b, id: 'b6', destination: 'q2' },
    ];
    const { diagram, repairs } = loaded(d);
    expect(diagram.bindings.map((x) => [x.id, x.destination])).toEqual([
      ['b4', { kind: 'queue', id: 'q' }],
      ['b6', { kind: 'queue', id: 'q2' }],
    ]);
    expect(repairs).toEqual([
      "Dropped binding 1 with key 'order.eu.*': its source 'gone' is not in the diagram.",
      "Dropped binding 2 with key 'order.eu.*': its destination 'gone' is not in the diagram.",
      "Dropped the binding from queue 'orders.eu' to queue 'other' with key 'order.eu.*': a queue cannot feed another queue: queues deliver to consumers. To get messages into both, bind both to an exchange (or dead-letter from one through an exchange).",
      "The binding from exchange 'orders' to queue 'orders.eu' with key 'order.eu.*' ends at a queue: it said 'exchange'.",
      "Dropped the binding from exchange 'orders' to queue 'orders.eu' with key 'order.eu.*': the same binding is already there (RabbitMQ identifies a binding by its source, destination, key and arguments).",
    ]);
  });

  it("a consumer's and a producer's numbers come into range", () => {
    const d = raw();
    Object.assign(d.nodes[3], { prefetch: 70000.4, workMs: -5, failure: { rate: 1.5, action: 'nack-drop' } });
    d.nodes[0].mode = { kind: 'burst', count: 2.6 };
    const { diagram, repairs } = loaded(d);
    expect(diagram.nodes[3]).toMatchObject({ prefetch: 65535, workMs: 0, failure: { rate: 1, action: 'nack-drop' } });
    expect((diagram.nodes[0] as Extract<DiagramNode, { kind: 'producer' }>).mode).toEqual({ kind: 'burst', count: 3 });
    expect(repairs).toEqual([
      "Made producer 'shop''s burst 3 messages: it was 2.6.",
      "Set consumer 'worker''s prefetch to 65535: it was 70000.4.",
      "Set consumer 'worker''s work time (ms) to 0: it was -5.",
      "Set consumer 'worker''s failure rate to 1: it was 1.5.",
    ]);
  });

  it('a bad view and bad exercises are dropped', () => {
    const d = { ...raw(), view: { x: 1, y: 2, zoom: 0 }, exercises: [{ bindingKey: 'a.*', routingKey: 'a.b' }, { bindingKey: 1 }, { bindingKey: 'a.*', routingKey: 'a.b' }] };
    const { diagram, repairs } = loaded(d);
    expect(diagram.view).toBeUndefined();
    expect(diagram.exercises).toEqual([{ bindingKey: 'a.*', routingKey: 'a.b' }]);
    expect(repairs).toEqual([
      'Dropped the saved pan and zoom: it was not { x, y, zoom } with finite numbers and a zoom above 0.',
      'Dropped pinned exercise 2: an exercise has a bindingKey and a routingKey (text).',
      'Dropped pinned exercise 3: the same pair is pinned before it.',
    ]);
    expect(loaded({ ...raw(), exercises: 'none' }).repairs).toEqual(['Dropped the pinned exercises: they were not a list.']);
  });

  it('prototype keys: never copied, never reach Object.prototype, wherever they are', () => {
    const text = JSON.stringify(sample())
      .replace('"version":1', '"__proto__":{"polluted":1},"constructor":{"prototype":{"polluted":1}},"version":1')
      .replace('"arguments":{}', '"arguments":{"__proto__":{"polluted":1},"prototype":2,"ok":{"constructor":{"polluted":1},"x":1}}')
      .replace('"name":"orders.eu"', '"__proto__":{"polluted":1},"name":"orders.eu"');
    const { diagram, repairs } = loaded(JSON.parse(text));
    expect((diagram.nodes[1] as Extract<DiagramNode, { kind: 'exchange' }>).arguments).toEqual({ ok: { x: 1 } });
    expect(Object.getPrototypeOf((diagram.nodes[1] as Extract<DiagramNode, { kind: 'exchange' }>).arguments)).toBe(Object.prototype);
    expect(repairs).toEqual([
      "Dropped what the diagram had that a diagram does not: '__proto__', 'constructor'.",
      "Dropped the keys '__proto__', 'prototype', 'constructor' from exchange 'orders''s arguments: such names are not accepted.",
      "Dropped what queue 'orders.eu' had that a diagram does not: '__proto__'.",
    ]);
  });

  it('many repairs are summed up after the first 50', () => {
    const d = raw();
    for (let i = 0; i < 80; i++) d.nodes.push({ ...node('queue', `extra-${i}`, `extra-${i}`), colour: 'red' });
    const { repairs } = loaded(d);
    expect(repairs).toHaveLength(LOAD_LIMITS.repairsListed + 1);
    expect(repairs.at(-1)).toBe('And 30 more repairs of the same kinds.');
  });
});

describe('refusals, with a sentence', () => {
  it('what is not a diagram', () => {
    for (const input of [null, undefined, 'diagram', 42, [], { hello: 'world' }]) expect(refusal(input)).toBe('This is not a Routing Playground diagram.');
    expect(refusal({ version: 1 })).toBe('This is not a Routing Playground diagram: it has no list of nodes.');
    expect(refusal({ version: 1, nodes: {}, bindings: [] })).toBe('This is not a Routing Playground diagram: it has no list of nodes.');
    expect(loadDiagram({ version: 1, nodes: [], bindings: 'x' }, { source: 'file' })).toEqual({ ok: false, message: 'This file does not hold a Routing Playground diagram: its bindings are not a list.' });
  });

  it('a newer version, politely; an impossible one', () => {
    expect(loadDiagram({ ...raw(), version: 2 }, { source: 'link' })).toEqual({
      ok: false,
      message: 'This link was made with a newer version of Routing Playground (version 2). Reload the page to get the newest version, then open it again.',
    });
    expect(refusal({ ...raw(), version: 0 })).toBe('This diagram has the version 0, which no Routing Playground ever wrote (this one reads version 1).');
    expect(refusal({ ...raw(), version: '1' })).toMatch(/has the version '1'/);
  });

  it('caps: counts, nesting, values, text', () => {
    const many = (n: number) => Array.from({ length: n }, (_, i) => node('queue', `q${i}`, `q${i}`));
    expect(refusal({ version: 1, nodes: many(DIAGRAM_LIMITS.nodes + 1), bindings: [] })).toBe('This diagram has 501 nodes; Routing Playground opens at most 500.');
    expect(refusal({ version: 1, nodes: [], bindings: Array.from({ length: 2001 }, () => ({})) })).toBe('This diagram has 2,001 bindings; Routing Playground opens at most 2,000.');
    expect(refusal({ ...raw(), exercises: Array.from({ length: 51 }, (_, i) => ({ bindingKey: `${i}`, routingKey: '' })) })).toBe(
      'This diagram has 51 pinned exercises; Routing Playground opens at most 50.',
    );
    let deep: unknown = [];
    for (let i = 0; i < 100_000; i++) deep = [deep];
    expect(refusal({ ...raw(), deep })).toBe('This diagram is too large: it is nested more than 16 levels deep.');
    expect(refusal({ ...raw(), junk: new Array(300_000).fill(0) })).toBe('This diagram is too large: it holds more than 200,000 values.');
    expect(refusal({ ...raw(), junk: new Array(1e9) })).toBe('This diagram is too large: it holds more than 200,000 values.');
    expect(refusal({ ...raw(), junk: 'x'.repeat(70_000) })).toBe('This diagram is too large: it holds a text of 70,000 characters (at most 65,536).');
    expect(refusal({ ...raw(), junk: Array.from({ length: 200 }, () => 'x'.repeat(60_000)) })).toBe('This diagram is too large: it holds more than 8,000,000 characters of text.');
  });

  it('strings and tables past their caps', () => {
    const d = raw();
    d.nodes[2].name = 'é'.repeat(128);
    expect(refusal(d)).toBe(`Queue '${'é'.repeat(39)}…': name must be at most 255 bytes of UTF-8 (an AMQP short string).`);
    const e = raw();
    e.nodes[0].message.body = 'é'.repeat(40_000);
    expect(refusal(e)).toBe("Producer 'shop': message.body must be at most 64 KiB.");
    const f = raw();
    let table: unknown = 1;
    for (let i = 0; i < 9; i++) table = { a: table };
    f.bindings[0].arguments = table;
    expect(refusal(f)).toBe('Binding 1: arguments must be nested at most 8 levels deep.');
    const g = raw();
    g.nodes[2].arguments = { when: new Date(0) };
    expect(refusal(g)).toBe("Queue 'orders.eu': arguments must hold JSON values only (text, numbers, true, false, null, lists and tables).");
  });

  it('wrong types and unknown kinds', () => {
    const d = raw();
    d.nodes[1].durable = 'yes';
    expect(refusal(d)).toBe("Exchange 'orders': durable must be true or false.");
    const e = raw();
    e.nodes[1].kind = 'stream';
    expect(refusal(e)).toBe("Node 2 of the diagram is a 'stream': a diagram has producers, exchanges, queues and consumers.");
    const f = raw();
    f.nodes[1] = null;
    expect(refusal(f)).toBe('Node 2 of the diagram is not an object.');
    const g = raw();
    g.nodes[0].mode = { kind: 'sometimes' };
    expect(refusal(g)).toBe("Producer 'shop': mode.kind must be once, burst or rate.");
  });

  it("RabbitMQ's rules, after the repairs", () => {
    const d = raw();
    d.nodes[2].name = 'amq.mine';
    expect(refusal(d)).toBe("RabbitMQ refuses it: queue name 'amq.mine' contains reserved prefix 'amq.*'.");
  });

  it('hostile objects: a throwing getter, a revoked proxy', () => {
    const d = raw();
    Object.defineProperty(d.nodes[1], 'name', {
      enumerable: true,
      get() {
        throw new Error('boom');
      },
    });
    expect(refusal(d)).toBe('This diagram could not be read (it is malformed).');
    const { proxy, revoke } = Proxy.revocable({}, {});
    revoke();
    expect(refusal({ ...raw(), nodes: [proxy] })).toBe('This diagram could not be read (it is malformed).');
  });
});

describe('the file format', () => {
  it('round trip (seeded), with the envelope', () => {
    fc.assert(
      fc.property(diagrams, (d) => {
        const text = diagramToFile(d);
        expect(JSON.parse(text)).toMatchObject({ format: FILE_FORMAT, version: 1 });
        expect(diagramFromFile(text)).toEqual({ ok: true, diagram: d, repairs: [] });
      }),
      { seed: SEED, numRuns: 100 },
    );
  });

  it('is pretty, and takes a bare diagram or a byte order mark', () => {
    const text = diagramToFile(sample());
    expect(text.split('\n')[1]).toBe(`  "format": "${FILE_FORMAT}",`);
    expect(diagramFromFile(JSON.stringify(sample()))).toEqual({ ok: true, diagram: sample(), repairs: [] });
    expect(diagramFromFile(`\ufeff${text}`)).toEqual({ ok: true, diagram: sample(), repairs: [] });
  });

  it('refuses what is not ours, with a sentence', () => {
    expect(diagramFromFile('{"nodes": [')).toMatchObject({ ok: false, message: expect.stringMatching(/^This file is not a Routing Playground diagram: it is not JSON \(.+\)\.$/) });
    expect(diagramFromFile('[1, 2]')).toEqual({ ok: false, message: 'This file is not a Routing Playground diagram.' });
    expect(diagramFromFile('{"format": "excalidraw", "version": 2}')).toEqual({ ok: false, message: 'This file is not a Routing Playground diagram (its "format" is something else).' });
    expect(diagramFromFile(`{"format": "${FILE_FORMAT}", "version": 3, "diagram": {}}`)).toEqual({
      ok: false,
      message: 'This file was made with a newer version of Routing Playground (version 3). Reload the page to get the newest version, then open it again.',
    });
    expect(diagramFromFile(JSON.stringify({ format: FILE_FORMAT, version: 1, diagram: { ...sample(), version: 2 } }))).toMatchObject({ ok: false, message: expect.stringMatching(/^This file was made with a newer version/) });
    expect(diagramFromFile(' '.repeat(10_000_001))).toEqual({ ok: false, message: 'This file is too large to be a diagram (10,000,001 characters; at most 10,000,000).' });
    expect(diagramFromFile('[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]').ok).toBe(false);
  });

  it('keeps what canonical JSON keeps (a file re-saved is the same file)', () => {
    const once = diagramFromFile(diagramToFile(sample()));
    expect(once.ok && canonicalJson(once.diagram)).toBe(canonicalJson(sample()));
    expect(once.ok && diagramToFile(once.diagram)).toBe(diagramToFile(sample()));
  });
});

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object') {
    for (const v of Object.values(value)) deepFreeze(v);
    Object.freeze(value);
  }
  return value;
}
