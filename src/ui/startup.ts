/**
 * Which diagram the page opens with: a shared link in the address (`#v1…`) first, then the
 * diagram open last in this browser, then the topic example. The link and the saved diagram go
 * through the document's loader (lazily: a first visit needs neither); whatever cannot be opened
 * says why, and the next candidate opens instead, so the page is never empty.
 */

import type { Diagram } from '../document/types';
import { exampleDiagram } from './canvas/example';
import { DiagramStore, browserStorage } from './store/diagrams';

export interface Start {
  /** Where the diagram's edits are saved (null when the browser denies storage). */
  store: DiagramStore | null;
  diagram: Diagram;
  /** Where it is saved in this browser, and under which name. */
  id: string;
  name: string;
  /** Something to tell the person: the link was opened with repairs, or could not be opened. */
  notice: { tone: 'info' | 'error'; text: string } | null;
  /** The address's fragment was a link: the page should drop it (the diagram is saved now). */
  fromLink: boolean;
}

const LINK = /^#v\d/;

function repairsText(repairs: readonly string[]): string {
  return repairs.length === 0 ? '' : ` (${repairs.length} ${repairs.length === 1 ? 'thing was' : 'things were'} repaired: ${repairs.slice(0, 3).join('; ')}${repairs.length > 3 ? '; …' : ''})`;
}

/**
 * The page's start: this browser's store, and the diagram the address or the store says. A
 * read-only embed neither reads nor writes the store: it shows its link (or the example).
 */
export function begin(hash: string, embed = false): Promise<Start> {
  keepOffline();
  const storage = embed ? null : browserStorage();
  return resolveStart(hash, storage ? new DiagramStore(storage) : null);
}

export async function resolveStart(hash: string, store: DiagramStore | null): Promise<Start> {
  let notice: Start['notice'] = null;
  if (LINK.test(hash)) {
    const { decodeShare } = await import('../document/share');
    const result = decodeShare(hash.slice(1));
    if (result.ok) {
      const id = store?.newId() ?? 'shared';
      return { store, diagram: result.diagram, id, name: 'Shared diagram', notice: { tone: 'info', text: `Opened a shared diagram${repairsText(result.repairs)}.` }, fromLink: true };
    }
    // The loader's refusals are whole sentences ("This link is damaged…").
    notice = { tone: 'error', text: result.message };
  }
  const current = store?.currentId() ?? null;
  if (store && current !== null) {
    const { loadDiagram } = await import('../document/load');
    const result = loadDiagram(store.read(current));
    const entry = store.list().find((e) => e.id === current);
    if (result.ok) return { store, diagram: result.diagram, id: current, name: entry?.name ?? 'Untitled diagram', notice, fromLink: notice !== null };
    notice ??= { tone: 'error', text: `Your last diagram could not be restored: ${result.message}` };
  }
  return { store, diagram: exampleDiagram(), id: store?.newId() ?? 'example', name: 'Topic example', notice, fromLink: notice !== null };
}

/**
 * Registers the service worker that keeps the site working offline (src/offline). Only a
 * built site served over http(s) has one: the dev server and the single-file build (a page
 * opened from disk, already whole) do not.
 */
function keepOffline(): void {
  if (!import.meta.env.PROD || import.meta.env.MODE === 'single' || !('serviceWorker' in navigator)) return;
  navigator.serviceWorker.register('./sw.js').catch(() => {
    // Offline use is a bonus: a browser that refuses (private mode, no https) still plays.
  });
}
