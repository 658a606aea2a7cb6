/**
 * The analyze command's work, in a chunk of its own: the binding analysis is a fifth of the
 * worker's code and is not needed to route the first message, so the worker loads it on the
 * first request.
 */

import { analyzeTopology, type Finding } from '../broker/analysis/index';
import type { Diagram } from '../document/types';
import { analysisInputOf } from './analysis-input';

export function analyzeDiagram(diagram: Diagram): Finding[] {
  return analyzeTopology(analysisInputOf(diagram));
}
