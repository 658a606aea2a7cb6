/** Where a new node goes: near the wanted spot, but not on top of another node. */

import type { Diagram, Position } from '../../document/types';

const WIDTH = 220;
const HEIGHT = 120;

function overlaps(diagram: Diagram, p: Position): boolean {
  return diagram.nodes.some((n) => Math.abs(n.position.x - p.x) < WIDTH && Math.abs(n.position.y - p.y) < HEIGHT);
}

/** The first free spot on a spiral of grid steps around `wanted` (rounded to whole pixels). */
export function freeSpot(diagram: Diagram, wanted: Position): Position {
  const start = { x: Math.round(wanted.x), y: Math.round(wanted.y) };
  if (!overlaps(diagram, start)) return start;
  const step = 40;
  for (let ring = 1; ring <= 30; ring++) {
    for (let dx = -ring; dx <= ring; dx++) {
      for (let dy = -ring; dy <= ring; dy++) {
        if (Math.max(Math.abs(dx), Math.abs(dy)) !== ring) continue;
        const p = { x: start.x + dx * step, y: start.y + dy * step };
        if (!overlaps(diagram, p)) return p;
      }
    }
  }
  return { x: start.x + 40, y: start.y + 40 };
}
