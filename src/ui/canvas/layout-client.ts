/**
 * Runs auto-layout in a short-lived worker (layout.worker.ts), so a big diagram does not freeze
 * the page; where workers cannot start, it runs here instead. Both load dagre only when asked.
 */

import type { NodeMove } from '../../document/actions';
import type { Diagram } from '../../document/types';
import type { Size } from './layout';
import type { LayoutRequest } from './layout.worker';
import { spawnLayoutWorker } from './layout-spawn';

type LayoutReply = { ok: true; moves: NodeMove[] } | { ok: false; message: string };

export async function layoutOffThread(diagram: Diagram, sizes: ReadonlyMap<string, Size>): Promise<NodeMove[]> {
  let worker: Worker;
  try {
    worker = spawnLayoutWorker();
  } catch {
    const { layoutDiagram } = await import('./layout');
    return layoutDiagram(diagram, sizes);
  }
  try {
    return await new Promise<NodeMove[]>((resolve, reject) => {
      worker.onmessage = (event: MessageEvent<LayoutReply>) => {
        if (event.data.ok) resolve(event.data.moves);
        else reject(new Error(event.data.message));
      };
      worker.onerror = (event) => {
        event.preventDefault();
        reject(new Error(event.message || 'the layout worker failed to start'));
      };
      const request: LayoutRequest = { diagram, sizes: [...sizes] };
      worker.postMessage(request);
    });
  } finally {
    worker.terminate();
  }
}
