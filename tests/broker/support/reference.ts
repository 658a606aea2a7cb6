/** Paths to the shared RabbitMQ reference material beside the project (../shared). */

import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
export const projectRoot = resolve(here, '../../..');
export const sharedDir = resolve(projectRoot, '../shared');
export const semanticsDir = join(sharedDir, 'semantics');
export const recordedDir = resolve(here, '../recorded');

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export function loadVectors(): any {
  return JSON.parse(readFileSync(join(semanticsDir, 'vectors.json'), 'utf8'));
}

/** `{file, scenario, observed}` for every recorded scenario in a folder. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export function loadScenarioFiles(dir: string): { file: string; scenario: any; observed: any }[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((file) => ({ file, ...JSON.parse(readFileSync(join(dir, file), 'utf8')) }))
    .filter((doc) => doc.scenario && doc.observed);
}
