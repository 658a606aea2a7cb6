/**
 * Lint findings placed on the canvas: each finding's bindings (by document id) and its exchanges
 * and queues (by RabbitMQ name, on every node of that name) get a mark with the worst severity.
 */

import type { Diagram } from '../../document/types';
import type { Finding } from '../../worker/protocol';
import type { FindingMark } from '../canvas/live.svelte';

const RANK = { error: 3, warning: 2, info: 1 } as const;

/** The diagram ids a finding concerns: its bindings, then the nodes named in it. */
export function findingTargets(finding: Finding, diagram: Diagram): string[] {
  const ids = [...finding.bindings];
  for (const n of diagram.nodes) {
    if ((n.kind === 'exchange' && finding.exchanges.includes(n.name)) || (n.kind === 'queue' && finding.queues.includes(n.name))) ids.push(n.id);
  }
  return ids;
}

export function findingMarks(findings: readonly Finding[], diagram: Diagram): Record<string, FindingMark> {
  const marks: Record<string, FindingMark> = {};
  for (const f of findings) {
    for (const id of findingTargets(f, diagram)) {
      const mark = (marks[id] ??= { severity: f.severity, messages: [], serious: 0 });
      if (RANK[f.severity] > RANK[mark.severity]) mark.severity = f.severity;
      mark.messages.push(f.message);
      if (f.severity !== 'info') mark.serious++;
    }
  }
  return marks;
}
