/**
 * Auto-layout off the main thread: dagre takes ~140 ms for 300 nodes, long enough to freeze
 * the canvas. One request per worker: a diagram and node sizes in, the moves out.
 */

import type { Diagram } from '../../document/types';
import { layoutDiagram, type Size } from './layout';

export interface LayoutRequest {
  diagram: Diagram;
  sizes: Array<[string, Size]>;
}

self.onmessage = (event: MessageEvent<LayoutRequest>) => {
  const { diagram, sizes } = event.data;
  try {
    self.postMessage({ ok: true, moves: layoutDiagram(diagram, new Map(sizes)) });
  } catch (error) {
    self.postMessage({ ok: false, message: error instanceof Error ? error.message : String(error) });
  }
};
