/**
 * Imports go one way: ui -> worker (protocol, client) -> broker. What the page loads (src/ui,
 * main.ts, and the worker's protocol and client) may import the broker's TYPES only, and the
 * page reaches the worker only through those two, so the page's bundle never carries the core.
 * The worker's own modules (entry, host, simulation, ...) run beside the broker and may use it.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const src = resolve(import.meta.dirname, '../../src');

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? filesUnder(join(dir, entry.name)) : /\.(ts|svelte)$/.test(entry.name) ? [join(dir, entry.name)] : [],
  );
}

/** Each `import ... from '...'` / `export ... from '...'` statement, with whether it is type-only. */
function imports(code: string): Array<{ specifier: string; typeOnly: boolean }> {
  const found: Array<{ specifier: string; typeOnly: boolean }> = [];
  const statement = /(?:^|[;\n])\s*(import|export)\s+(type\s+)?([^'";]*?)\s*from\s*['"]([^'"]+)['"]/g;
  for (const match of code.matchAll(statement)) {
    found.push({ specifier: match[4]!, typeOnly: match[2] !== undefined });
  }
  for (const match of code.matchAll(/(?:^|[;\n])\s*import\s*['"]([^'"]+)['"]/g)) {
    found.push({ specifier: match[1]!, typeOnly: false });
  }
  for (const match of code.matchAll(/import\(\s*['"]([^'"]+)['"]\s*\)/g)) {
    found.push({ specifier: match[1]!, typeOnly: false });
  }
  return found;
}

const uiSide = [...filesUnder(join(src, 'ui')), join(src, 'main.ts'), join(src, 'worker', 'protocol.ts'), join(src, 'worker', 'client.ts')];

describe('module boundaries', () => {
  it.each(uiSide.map((file) => [relative(src, file), file]))('%s imports only types from the broker', (_name, file) => {
    const runtime = imports(readFileSync(file, 'utf8')).filter(
      (i) => !i.typeOnly && /(^|\/)broker(\/|$)/.test(i.specifier),
    );
    expect(runtime).toEqual([]);
  });

  it('src/ui never reaches into the broker directly', () => {
    for (const file of filesUnder(join(src, 'ui'))) {
      const direct = imports(readFileSync(file, 'utf8')).filter((i) => /(^|\/)broker(\/|$)/.test(i.specifier));
      expect(direct, relative(src, file)).toEqual([]);
    }
  });

  it('the page reaches the worker only through its protocol and client', () => {
    for (const file of [...filesUnder(join(src, 'ui')), join(src, 'main.ts')]) {
      const worker = imports(readFileSync(file, 'utf8')).filter((i) => !i.typeOnly && /(^|\/)worker\//.test(i.specifier));
      for (const i of worker) expect(i.specifier, relative(src, file)).toMatch(/worker\/(client|protocol)$/);
    }
  });

  it('the worker entry is where the broker is loaded', () => {
    const entry = imports(readFileSync(join(src, 'worker', 'entry.ts'), 'utf8'));
    expect(entry).toContainEqual({ specifier: '../broker/index', typeOnly: false });
  });
});
