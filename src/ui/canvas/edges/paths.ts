/**
 * Paths for the relation edges (dead-letter and alternate exchanges). They often run backwards
 * (a queue on the right dead-letters to an exchange on the left): a bezier from a right-hand
 * handle to a left-hand one then cuts through both nodes and puts its label on top of them, so
 * a backward edge loops around instead, under (or over) the two nodes, its label on the far side.
 */

import { getBezierPath, Position } from '@xyflow/svelte';

export interface EdgeEnds {
  sourceX: number;
  sourceY: number;
  targetX: number;
  targetY: number;
}

/** [path, labelX, labelY], as Svelte Flow's path helpers give them. */
export type EdgePath = [path: string, labelX: number, labelY: number];

/** How far past the handles' level the loop runs: about half a node's height and a margin. */
const CLEARANCE = 85;
/** The gap between two loops that would otherwise run along each other. */
const LANE = 26;
/** How far the loop swings out beside each handle. */
const SWING = 55;

/** Whether an edge from a right-hand handle to a left-hand one must turn back to reach it. */
export function runsBackwards(ends: EdgeEnds): boolean {
  return ends.targetX < ends.sourceX + SWING;
}

/**
 * A loop from the source's right-hand handle around to the target's left-hand handle: out to
 * the right, along under both nodes (over them when the target is higher), in from the left.
 * `lane` moves it further out, so a dead-letter loop and an alternate loop stay apart.
 */
export function loopPath({ sourceX, sourceY, targetX, targetY }: EdgeEnds, lane = 0): EdgePath {
  const below = targetY >= sourceY;
  const clearance = CLEARANCE + lane * LANE;
  const y = below ? Math.max(sourceY, targetY) + clearance : Math.min(sourceY, targetY) - clearance;
  const out = sourceX + SWING;
  const back = targetX - SWING;
  const path = [
    `M ${sourceX},${sourceY}`,
    `C ${out},${sourceY} ${out},${y} ${sourceX},${y}`,
    `L ${targetX},${y}`,
    `C ${back},${y} ${back},${targetY} ${targetX},${targetY}`,
  ].join(' ');
  return [path, (sourceX + targetX) / 2, y];
}

/** A relation edge's path: a bezier forwards, a loop backwards (in `lane`). */
export function relationPath(ends: EdgeEnds, lane = 0): EdgePath {
  if (runsBackwards(ends)) return loopPath(ends, lane);
  const [path, labelX, labelY] = getBezierPath({ ...ends, sourcePosition: Position.Right, targetPosition: Position.Left });
  return [path, labelX, labelY];
}

/** How far apart the labels of bindings between the same two nodes sit. */
const FAN = 34;

/**
 * A binding's path when several bindings join the same two nodes: a bezier bowed up or down by
 * its place in the fan, so each keeps its own line and its own label spot (`index` of `count`).
 */
export function fannedPath(ends: EdgeEnds, index: number, count: number): EdgePath {
  const { sourceX, sourceY, targetX, targetY } = ends;
  const offset = (index - (count - 1) / 2) * FAN;
  const reach = Math.max(Math.abs(targetX - sourceX) / 2, 40);
  // A cubic's midpoint moves by 3/4 of what both control points move: bow them by offset / 0.75.
  const bow = offset / 0.75;
  const path = `M ${sourceX},${sourceY} C ${sourceX + reach},${sourceY + bow} ${targetX - reach},${targetY + bow} ${targetX},${targetY}`;
  return [path, (sourceX + targetX) / 2, (sourceY + targetY) / 2 + offset];
}
