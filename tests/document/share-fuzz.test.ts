/**
 * Seeded fuzzing of everything that opens a diagram from outside: share links (decodeShare),
 * files (diagramFromFile) and raw values (loadDiagram). Random bytes and text, truncations, bit
 * flips and edits of valid links, huge counts, deep nesting, and prototype keys (`__proto__`,
 * `constructor`, `prototype`) in every object position. Every case must come back as a
 * refusal with a message or as a valid diagram: never an exception, never a hang, never a
 * change to Object.prototype. 5 properties × 2,500 runs = 12,500 cases.
 */

import { deflateRawSync } from 'node:zlib';
import fc from 'fast-check';
import { afterAll, describe, it } from 'vitest';
import { emptyDiagram } from '../../src/document/diagram';
import { diagramFromFile } from '../../src/document/file';
import { loadDiagram, type LoadResult } from '../../src/document/load';
import { parseDiagram } from '../../src/document/schema';
import { SHARE_DICTIONARY, decodeShare, encodeShare, pack, toBase64Url, toText } from '../../src/document/share';
import type { Diagram } from '../../src/document/types';
import { validateDiagram } from '../../src/document/validate';
import { command, toAction } from './support/commands';

const SEED = 20_260_603;
const RUNS = 2_500;
/** Each property's budget: far above what it takes, far below a hang. */
const TIMEOUT_MS = 20_000;

let cases = 0;
const started = performance.now();
afterAll(() => {
  console.info(`share/file fuzz: ${cases.toLocaleString('en')} cases in ${((performance.now() - started) / 1000).toFixed(1)} s`);
});

/**
 * What every outcome must be: a refusal with a sentence, or a diagram that is valid and typed.
 * Plain checks (not `expect`), as they run 16,000 times.
 */
function sound(run: () => LoadResult): void {
  cases++;
  let result: LoadResult;
  try {
    result = run();
  } catch (error) {
    throw new Error(`the loader threw: ${String(error)}`);
  }
  if (result.ok) {
    const problems = validateDiagram(result.diagram);
    if (problems.length > 0) throw new Error(`loaded an invalid diagram: ${problems[0]}`);
    if (!parseDiagram(result.diagram).ok) throw new Error('loaded a diagram the schema refuses');
    if (!result.repairs.every((r) => typeof r === 'string' && r.length > 0)) throw new Error('a repair without a sentence');
  } else if (typeof result.message !== 'string' || result.message.length < 10) {
    throw new Error(`a refusal without a sentence: ${String(result.message)}`);
  }
  if (Object.keys(Object.prototype).length > 0 || ({} as Record<string, unknown>).polluted !== undefined) throw new Error('Object.prototype was changed');
}

/** Valid diagrams to start from: random edit sequences, made once. */
const diagrams: Diagram[] = [
  emptyDiagram(),
  ...fc.sample(
    fc.array(command, { minLength: 10, maxLength: 60 }).map((commands) => {
      let d = emptyDiagram();
      for (const c of commands) {
        const r = toAction(d, c).perform(d);
        if (r.ok) d = r.diagram;
      }
      return { ...d, exercises: [{ bindingKey: 'a.*', routingKey: 'a.b' }], view: { x: 1, y: 2, zoom: 1.5 } };
    }),
    { seed: SEED, numRuns: 24 },
  ),
];
const links = diagrams.map(encodeShare);
const texts = diagrams.map((d) => toText(pack(d)));
const linkOf = (text: string) => 'v1' + toBase64Url(deflateRawSync(text, { dictionary: Buffer.from(SHARE_DICTIONARY) }));
const pick = <T>(list: readonly T[]) => fc.nat(list.length - 1).map((i) => list[i]!);

// Costly inputs, made once: deflate bombs (1 to 8 MiB of one byte) and files with huge counts.
const bombs = [1, 2, 4, 8].map((mib) => 'v1' + toBase64Url(deflateRawSync(Buffer.alloc(mib * 1024 * 1024, 48), { level: 9, dictionary: Buffer.from(SHARE_DICTIONARY) })));
const crowded = [501, 2001, 100_000].map((n) => `{"version":1,"nodes":[${Array.from({ length: n }, () => '{}').join(',')}],"bindings":[]}`);
const abyss = [100_000, 1_000_000].map((depth) => `{"version":1,"nodes":[],"bindings":[],"x":${'['.repeat(depth)}${']'.repeat(depth)}}`);

describe('share links and files survive anything', () => {
  it('random bytes and random text as a link', { timeout: TIMEOUT_MS }, () => {
    const fragment = fc.oneof(
      fc.uint8Array({ maxLength: 600 }).map((bytes) => 'v1' + toBase64Url(bytes)),
      fc.uint8Array({ maxLength: 600 }).map((bytes) => linkOf(Buffer.from(bytes).toString('latin1'))),
      fc.string({ maxLength: 300 }).map((text) => linkOf(text)),
      fc.string({ unit: 'binary', maxLength: 300 }),
      fc.string({ maxLength: 300 }).map((text) => `v${text}`),
    );
    fc.assert(
      fc.property(fragment, (f) => sound(() => decodeShare(f))),
      { seed: SEED, numRuns: RUNS },
    );
  });

  it('truncations, bit flips and edits of valid links', { timeout: TIMEOUT_MS }, () => {
    const damaged = fc.oneof(
      // The link cut anywhere.
      fc.tuple(pick(links), fc.double({ min: 0, max: 1, noNaN: true })).map(([link, at]) => link.slice(0, Math.floor(link.length * at))),
      // Bits flipped in the deflated bytes.
      fc.tuple(pick(links), fc.array(fc.tuple(fc.nat(), fc.nat(7)), { minLength: 1, maxLength: 4 })).map(([link, flips]) => {
        const bytes = Buffer.from(link.slice(2), 'base64url');
        if (bytes.length === 0) return link;
        for (const [at, bit] of flips) bytes[at % bytes.length]! ^= 1 << bit;
        return 'v1' + bytes.toString('base64url');
      }),
      // Characters of the compact text replaced, removed or added, then deflated again.
      fc.tuple(pick(texts), fc.array(fc.tuple(fc.nat(), fc.constantFrom('', ',', '\n', '"', '{', '[', '-', '9', '1e999', 'x', '\\', '}', ']')), { minLength: 1, maxLength: 6 })).map(
        ([text, edits]) => {
          let out = text;
          for (const [at, piece] of edits) {
            const i = at % (out.length + 1);
            out = out.slice(0, i) + piece + out.slice(i + (piece === '' || at % 2 === 0 ? 1 : 0));
          }
          return linkOf(out);
        },
      ),
    );
    fc.assert(
      fc.property(damaged, (f) => sound(() => decodeShare(f))),
      { seed: SEED, numRuns: RUNS },
    );
  });

  it('huge counts, deep nesting and outsized values, in links and files', { timeout: TIMEOUT_MS }, () => {
    const huge = fc.oneof(
      // Headers that claim more than the text holds, or more than the caps.
      fc.tuple(fc.constantFrom(0, 1, 500, 501, 2000, 2001, 1e9, -1, 2 ** 53, 1.5), fc.constantFrom(0, 1, 2001, 1e12), fc.nat(3)).map(([n, b, extra]) =>
        linkOf([`${n},${b}`, ...Array.from({ length: Math.min(Math.max(n, 0), 600) + extra }, (_, i) => `2,q${i}`), ...Array.from({ length: Math.min(b, 2001) }, () => '0,0')].join('\n')),
      ),
      // Nesting in a table field, a name, a position.
      fc.tuple(fc.integer({ min: 1, max: 2_000 }), fc.constantFrom('[', '{"a":'), fc.nat(2)).map(([depth, open, where]) => {
        const close = open === '[' ? ']' : '}';
        const nested = open.repeat(depth) + '1' + close.repeat(depth);
        return linkOf(['1,0', where === 0 ? `2,q,0,0,${nested}` : where === 1 ? `2,${nested}` : `2,q,${nested},0`].join('\n'));
      }),
      // Numbers past every range.
      fc.constantFrom('1e999', '-1e999', '1e308', '0.0000001', '9007199254740993', '-0').map((x) => linkOf(['2,0', `3,c,${x},${x},${x},${x},${x},${x},${x},${x}`, `0,p,${x},${x},${x},k,b,{},${x}`].join('\n'))),
    );
    fc.assert(
      fc.property(huge, (f) => sound(() => decodeShare(f))),
      { seed: SEED, numRuns: RUNS / 2 },
    );
    const hugeFile = fc.oneof(
      fc.integer({ min: 1, max: 2_000 }).map((depth) => `{"version":1,"nodes":[],"bindings":[],"x":${'['.repeat(depth)}${']'.repeat(depth)}}`),
      fc.integer({ min: 0, max: 9 }).map((depth) => `{"version":1,"nodes":[{"id":"q","kind":"queue","name":"q","arguments":${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}}],"bindings":[]}`),
      fc.constantFrom(1e999, 2, 1.0000001, -1, '"1"', 'null', '[]').map((version) => `{"format":"routing-playground","version":1,"diagram":{"version":${version},"nodes":[],"bindings":[]}}`),
    );
    fc.assert(
      fc.property(hugeFile, (text) => sound(() => diagramFromFile(text))),
      { seed: SEED, numRuns: RUNS / 2 },
    );
    // The costly ones once each: the same input twice teaches nothing.
    for (const bomb of bombs) sound(() => decodeShare(bomb));
    for (const text of [...crowded, ...abyss]) sound(() => diagramFromFile(text));
  });

  it('prototype keys in every object position of files and links', { timeout: TIMEOUT_MS }, () => {
    const files = diagrams.map((d) => JSON.stringify({ format: 'routing-playground', version: 1, diagram: d }));
    const key = fc.constantFrom('__proto__', 'constructor', 'prototype');
    const payload = fc.constantFrom('{"polluted":true}', '{"prototype":{"polluted":true}}', '1', 'null', '[]', '"x"');
    const poisoned = fc.tuple(pick(files), fc.array(fc.tuple(fc.nat(), key, payload), { minLength: 1, maxLength: 5 })).map(([text, insertions]) => {
      let out = text;
      for (const [at, k, value] of insertions) {
        // Into the at-th object (counting every `{` outside strings is close enough: keys never hold `{`).
        const opens = [...out.matchAll(/\{/g)].map((m) => m.index);
        const i = opens[at % opens.length]! + 1;
        const rest = out.slice(i);
        out = `${out.slice(0, i)}"${k}":${value}${rest.startsWith('}') ? '' : ','}${rest}`;
      }
      return out;
    });
    fc.assert(
      fc.property(poisoned, (text) => {
        sound(() => diagramFromFile(text));
        sound(() => loadDiagram(JSON.parse(text)));
      }),
      { seed: SEED, numRuns: RUNS / 2 },
    );
    // The same keys in the tables a link carries (arguments, properties, headers).
    const table = fc.tuple(key, payload, fc.boolean()).map(([k, value, nested]) => (nested ? `{"ok":{"${k}":${value}}}` : `{"${k}":${value},"x":1}`));
    fc.assert(
      fc.property(table, table, table, (a, b, c) => {
        sound(() => decodeShare(linkOf(['4,1', `0,p,0,0,1,k,b,{"headers":${a}}`, `1,x,0,0,3,0,${b}`, `2,q,0,0,${c}`, '1', `1,2,,${b}`].join('\n'))));
      }),
      { seed: SEED, numRuns: RUNS / 2 },
    );
  });

  it('random JSON as a file and as a raw value', { timeout: TIMEOUT_MS }, () => {
    const shaped = fc.record(
      {
        version: fc.oneof(fc.constant(1), fc.jsonValue({ maxDepth: 1 })),
        nodes: fc.array(
          fc.record(
            {
              id: fc.oneof(fc.constantFrom('a', 'b', 'c'), fc.jsonValue({ maxDepth: 1 })),
              kind: fc.oneof(fc.constantFrom('producer', 'exchange', 'queue', 'consumer'), fc.jsonValue({ maxDepth: 1 })),
              name: fc.oneof(fc.constantFrom('a', '', 'amq.topic', 'amq.x'), fc.jsonValue({ maxDepth: 1 })),
              position: fc.jsonValue({ maxDepth: 2 }),
              target: fc.oneof(fc.record({ kind: fc.constantFrom('exchange', 'queue'), id: fc.constantFrom('a', 'b', 'c') }), fc.jsonValue({ maxDepth: 2 })),
              queue: fc.oneof(fc.constantFrom('a', 'b', 'c'), fc.jsonValue({ maxDepth: 1 })),
              arguments: fc.jsonValue({ maxDepth: 3 }),
              durable: fc.jsonValue({ maxDepth: 1 }),
              type: fc.oneof(fc.constantFrom('direct', 'topic', 'headers'), fc.jsonValue({ maxDepth: 1 })),
              message: fc.jsonValue({ maxDepth: 3 }),
              mode: fc.jsonValue({ maxDepth: 2 }),
              prefetch: fc.jsonValue({ maxDepth: 1 }),
              failure: fc.jsonValue({ maxDepth: 2 }),
            },
            { requiredKeys: ['kind'] },
          ),
          { maxLength: 8 },
        ),
        bindings: fc.array(
          fc.record(
            {
              id: fc.jsonValue({ maxDepth: 1 }),
              source: fc.constantFrom('a', 'b', 'c'),
              destination: fc.oneof(fc.record({ kind: fc.constantFrom('exchange', 'queue'), id: fc.constantFrom('a', 'b', 'c') }), fc.jsonValue({ maxDepth: 2 })),
              routingKey: fc.jsonValue({ maxDepth: 1 }),
              arguments: fc.jsonValue({ maxDepth: 3 }),
            },
            { requiredKeys: [] },
          ),
          { maxLength: 8 },
        ),
        view: fc.jsonValue({ maxDepth: 2 }),
        exercises: fc.jsonValue({ maxDepth: 3 }),
      },
      { requiredKeys: ['nodes'] },
    );
    fc.assert(
      fc.property(fc.oneof(shaped, fc.jsonValue({ maxDepth: 4 })), (value) => {
        sound(() => loadDiagram(value));
        sound(() => diagramFromFile(JSON.stringify(value)));
      }),
      { seed: SEED, numRuns: RUNS },
    );
  });
});
