/**
 * Scenarios recorded on a real RabbitMQ 4.3.6 (../shared/semantics/scenarios and our own
 * tests/broker/recorded), replayed through the public API: what our broker observes must be
 * exactly what the real one did.
 */

import { describe, expect, it } from 'vitest';
import { replayScenario } from './support/replay';
import { loadScenarioFiles, recordedDir, semanticsDir } from './support/reference';
import { join } from 'node:path';

/** Queue lifecycle scenarios (TTL, dead-lettering, max-length, priority): the next issue's work. */
const LIFECYCLE = new Set<string>([]);

function withoutBroker(observed: Record<string, unknown>) {
  const { broker: _broker, ...rest } = observed;
  return rest;
}

describe.each([
  ['shared scenarios', join(semanticsDir, 'scenarios')],
  ['recorded scenarios', recordedDir],
])('%s', (_label, dir) => {
  for (const { file, scenario, observed } of loadScenarioFiles(dir)) {
    if (LIFECYCLE.has(file)) {
      it.todo(`${file} (queue lifecycle)`);
      continue;
    }
    it(`${file} reproduces what RabbitMQ 4.3.6 observed`, async () => {
      const ours = await replayScenario(scenario);
      expect(ours).toEqual(withoutBroker(observed));
    });
  }
});
