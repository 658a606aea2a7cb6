/** Where a new node goes: near the wanted spot, but not on top of another node. */

import type { Diagram, Position } from '../../document/types';

export interface Size {
  width: number;
  height: number;
}

/** A card not measured yet (just added), and the new card itself: about this big. */
const DEFAULT_SIZE: Size = { width: 220, height: 140 };
/** Room kept between cards: a note or a chip added later (about 24 px) must not make them touch. */
const GAP = 32;

function overlaps(diagram: Diagram, sizes: ReadonlyMap<string, Size>, p: Position): boolean {
  const mine = DEFAULT_SIZE;
  return diagram.nodes.some((n) => {
    const size = sizes.get(n.id) ?? DEFAULT_SIZE;
    return p.x < n.position.x + size.width + GAP && n.position.x < p.x + mine.width + GAP && p.y < n.position.y + size.height + GAP && n.position.y < p.y + mine.height + GAP;
  });
}

/**
 * The first free spot on a spiral of grid steps around `wanted` (rounded to whole pixels),
 * judged with the cards' measured sizes where known.
 */
export function freeSpot(diagram: Diagram, wanted: Position, sizes: ReadonlyMap<string, Size> = new Map()): Position {
  const start = { x: Math.round(wanted.x), y: Math.round(wanted.y) };
  if (!overlaps(diagram, sizes, start)) return start;
  const step = 40;
  for (let ring = 1; ring <= 30; ring++) {
    for (let dx = -ring; dx <= ring; dx++) {
      for (let dy = -ring; dy <= ring; dy++) {
        if (Math.max(Math.abs(dx), Math.abs(dy)) !== ring) continue;
        const p = { x: start.x + dx * step, y: start.y + dy * step };
        if (!overlaps(diagram, sizes, p)) return p;
      }
    }
  }
  return { x: start.x + 40, y: start.y + 40 };
}
