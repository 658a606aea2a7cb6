/**
 * The gallery's presets: RabbitMQ's six tutorials (current form, and the classic one where the
 * tutorials changed), then common patterns. Each `build()` makes a fresh, valid diagram laid
 * out left to right: producers, exchanges, queues, consumers.
 */

import { PATTERN_PRESETS } from './patterns';
import { TUTORIAL_PRESETS } from './tutorials';
import type { Preset } from './types';

export type { Preset, PresetOptions } from './types';
export { COLUMN_X, ROW_HEIGHT } from './layout';
export { TUTORIAL_PRESETS } from './tutorials';
export { PATTERN_PRESETS } from './patterns';

/** Every preset, in gallery order: the tutorials 1 to 6, then the patterns. */
export const PRESETS: readonly Preset[] = Object.freeze([...TUTORIAL_PRESETS, ...PATTERN_PRESETS]);

/** The preset with this id. */
export function presetById(id: string): Preset | undefined {
  return PRESETS.find((p) => p.id === id);
}
