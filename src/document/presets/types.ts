/**
 * A preset: a ready-made diagram for the gallery (one of RabbitMQ's six tutorials, or a common
 * pattern), with a one-line description and what to do to see what it teaches.
 */

import type { Diagram } from '../types';

export interface PresetOptions {
  /**
   * The classic form older guides use (classic queues, `hello` and `rpc_queue` transient,
   * `task_queue` durable) instead of the current tutorials' durable quorum queues. Presets
   * without a classic form ignore it.
   */
  classic?: boolean;
}

export interface Preset {
  /** Stable and unique among the presets (kebab-case), for links and tests. */
  id: string;
  title: string;
  /** One line for the gallery: no line break, at most 120 characters. */
  description: string;
  /** The RabbitMQ tutorial it reproduces (1 to 6); absent for the other patterns. */
  tutorial?: number;
  /** A fresh, valid diagram each call, in the current form, or the classic one if asked and there is one. */
  build(options?: PresetOptions): Diagram;
  /** True when `build({ classic: true })` gives a different (classic) form. */
  hasClassicForm: boolean;
  /** What the person does to see what the preset teaches, in one or two sentences. */
  tryIt: string;
}
