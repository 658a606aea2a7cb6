/**
 * The diagrams kept in this browser: each saved as its JSON under its own key, with an index of
 * their names and times, and which one is open. Every edit is saved (debounced by the caller),
 * so a reload or a crash loses nothing; opening a shared link adds a diagram instead of
 * overwriting the one being edited.
 *
 * Storage is injected (localStorage in the page, a Map in tests). A full or refused storage
 * (quota, private mode) is reported, never thrown: the diagram on screen is unharmed.
 */

import type { Diagram } from '../../document/types';

/** The part of the Web Storage API used here. */
export interface KeyValueStorage {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
  removeItem(key: string): void;
}

export interface StoredDiagram {
  id: string;
  name: string;
  /** Last saved, ms since the epoch. */
  updated: number;
}

const PREFIX = 'routing-playground:';
const INDEX_KEY = `${PREFIX}diagrams`;
const CURRENT_KEY = `${PREFIX}current`;
const diagramKey = (id: string) => `${PREFIX}diagram:${id}`;
const historyKey = (id: string) => `${PREFIX}console:${id}`;
/** The console lines kept per diagram, and the longest one kept. */
const MAX_HISTORY = 100;
const MAX_HISTORY_LINE = 4096;

/** A diagram's console history as the console reads and writes it. */
export interface ConsoleHistory {
  read(): string[];
  write(lines: readonly string[]): void;
}
/** A diagram's JSON above this is not autosaved (the file format still works). */
export const MAX_STORED_CHARS = 2_000_000;

function isEntry(value: unknown): value is StoredDiagram {
  if (typeof value !== 'object' || value === null) return false;
  const e = value as Record<string, unknown>;
  return typeof e.id === 'string' && typeof e.name === 'string' && typeof e.updated === 'number';
}

export class DiagramStore {
  readonly #storage: KeyValueStorage;
  readonly #now: () => number;

  constructor(storage: KeyValueStorage, now: () => number = Date.now) {
    this.#storage = storage;
    this.#now = now;
  }

  /** The saved diagrams, most recently saved first; a damaged index reads as empty. */
  list(): StoredDiagram[] {
    try {
      const parsed: unknown = JSON.parse(this.#storage.getItem(INDEX_KEY) ?? '[]');
      return Array.isArray(parsed) ? parsed.filter(isEntry).sort((a, b) => b.updated - a.updated) : [];
    } catch {
      return [];
    }
  }

  /** The id of the diagram open last, if it is still saved. */
  currentId(): string | null {
    const id = this.#read(CURRENT_KEY);
    return id !== null && this.list().some((e) => e.id === id) ? id : null;
  }

  /** The raw JSON text of a saved diagram (to be checked by the loader), or null. */
  read(id: string): unknown {
    const text = this.#read(diagramKey(id));
    if (text === null) return null;
    try {
      return JSON.parse(text) as unknown;
    } catch {
      return null;
    }
  }

  /** Saves a diagram under `id` (a new entry when unknown) and makes it the current one. Null when saved, else why not. */
  save(id: string, name: string, diagram: Diagram): string | null {
    const text = JSON.stringify(diagram);
    if (text.length > MAX_STORED_CHARS) return 'The diagram is too large to keep in this browser; save it as a file.';
    const entries = this.list().filter((e) => e.id !== id);
    entries.push({ id, name, updated: this.#now() });
    return this.#write([
      [diagramKey(id), text],
      [INDEX_KEY, JSON.stringify(entries)],
      [CURRENT_KEY, id],
    ]);
  }

  rename(id: string, name: string): string | null {
    const entries = this.list().map((e) => (e.id === id ? { ...e, name } : e));
    return this.#write([[INDEX_KEY, JSON.stringify(entries)]]);
  }

  /**
   * The console lines typed with a diagram open (↑ and ↓ recall them), kept beside it. What is
   * read back is checked: a list of at most 100 lines of text.
   */
  history(id: string): ConsoleHistory {
    return {
      read: () => {
        try {
          const parsed: unknown = JSON.parse(this.#read(historyKey(id)) ?? '[]');
          return Array.isArray(parsed) ? parsed.filter((l): l is string => typeof l === 'string' && l.length <= MAX_HISTORY_LINE).slice(-MAX_HISTORY) : [];
        } catch {
          return [];
        }
      },
      write: (lines) => void this.#write([[historyKey(id), JSON.stringify(lines.slice(-MAX_HISTORY))]]),
    };
  }

  remove(id: string): void {
    try {
      this.#storage.removeItem(historyKey(id));
      this.#storage.removeItem(diagramKey(id));
      this.#storage.setItem(INDEX_KEY, JSON.stringify(this.list().filter((e) => e.id !== id)));
    } catch {
      // Storage refused: the entry stays listed, which is harmless.
    }
  }

  /** A fresh id for a new diagram. */
  newId(): string {
    return `d${this.#now().toString(36)}${Math.floor(Math.random() * 1e6).toString(36)}`;
  }

  #read(key: string): string | null {
    try {
      return this.#storage.getItem(key);
    } catch {
      return null;
    }
  }

  #write(pairs: readonly [string, string][]): string | null {
    try {
      for (const [key, value] of pairs) this.#storage.setItem(key, value);
      return null;
    } catch (error) {
      return `This browser refused to save the diagram (${error instanceof Error ? error.name : 'storage error'}); save it as a file to keep it.`;
    }
  }
}

/** The page's storage, or null when the browser denies it (some privacy modes throw on access). */
export function browserStorage(): KeyValueStorage | null {
  try {
    const storage = globalThis.localStorage;
    return storage ?? null;
  } catch {
    return null;
  }
}
