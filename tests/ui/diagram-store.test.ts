import { describe, expect, it } from 'vitest';
import { DiagramStore, MAX_STORED_CHARS, type KeyValueStorage } from '../../src/ui/store/diagrams';
import { exampleDiagram } from '../../src/ui/canvas/example';

function memory(): KeyValueStorage & { data: Map<string, string> } {
  const data = new Map<string, string>();
  return { data, getItem: (k) => data.get(k) ?? null, setItem: (k, v) => void data.set(k, v), removeItem: (k) => void data.delete(k) };
}

describe('the diagrams kept in this browser', () => {
  it('saves, lists newest first, reopens the current one, renames and removes', () => {
    let now = 1000;
    const store = new DiagramStore(memory(), () => now);
    expect(store.save('a', 'First', exampleDiagram())).toBeNull();
    now = 2000;
    store.save('b', 'Second', { version: 1, nodes: [], bindings: [] });
    expect(store.list().map((e) => e.name)).toEqual(['Second', 'First']);
    expect(store.currentId()).toBe('b');
    expect(store.read('a')).toEqual(exampleDiagram());
    store.rename('a', 'Renamed');
    expect(store.list().find((e) => e.id === 'a')?.name).toBe('Renamed');
    store.remove('b');
    expect(store.list().map((e) => e.id)).toEqual(['a']);
    expect(store.currentId()).toBeNull();
  });

  it('reads damaged storage as empty, and says so (without throwing) when saving is refused', () => {
    const storage = memory();
    storage.data.set('routing-playground:diagrams', '{not json');
    storage.data.set('routing-playground:diagram:x', '{');
    const store = new DiagramStore(storage);
    expect(store.list()).toEqual([]);
    expect(store.read('x')).toBeNull();
    const full: KeyValueStorage = {
      getItem: () => null,
      setItem: () => {
        throw Object.assign(new Error('quota'), { name: 'QuotaExceededError' });
      },
      removeItem: () => {},
    };
    expect(new DiagramStore(full).save('a', 'A', exampleDiagram())).toMatch(/refused to save the diagram \(QuotaExceededError\)/);
  });

  it('does not keep a diagram larger than the cap', () => {
    const huge = { ...exampleDiagram(), nodes: exampleDiagram().nodes.map((n) => ({ ...n, name: n.name })), padding: 'x'.repeat(MAX_STORED_CHARS) };
    expect(new DiagramStore(memory()).save('a', 'A', huge as never)).toMatch(/too large/);
  });

  it("keeps each diagram's console history beside it, reads back only lines of text, and forgets it with the diagram", () => {
    const storage = memory();
    const store = new DiagramStore(storage);
    store.save('a', 'A', exampleDiagram());
    const history = store.history('a');
    expect(history.read()).toEqual([]);
    history.write(Array.from({ length: 150 }, (_, i) => `line ${i}`));
    expect(history.read()).toHaveLength(100);
    expect(history.read().at(-1)).toBe('line 149');
    expect(store.history('b').read()).toEqual([]);
    storage.data.set('routing-playground:console:a', JSON.stringify(['ok', 42, { evil: true }, 'x'.repeat(5000), null, 'fine']));
    expect(history.read()).toEqual(['ok', 'fine']);
    storage.data.set('routing-playground:console:a', '{"__proto__": [1]}');
    expect(history.read()).toEqual([]);
    store.remove('a');
    expect(storage.data.has('routing-playground:console:a')).toBe(false);
  });
});
