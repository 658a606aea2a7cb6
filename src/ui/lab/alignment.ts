/**
 * The Topic lab's view of the core's TopicExplanation: one column per pattern word, holding the
 * key words its step took, plus columns for words the core never reached. Nothing here decides a
 * match: it only lays out the steps the core returned.
 */

import type { TopicExplanation } from '../../worker/protocol';

export type ColumnState = 'ok' | 'fail' | 'unreached' | 'leftover';

export interface AlignmentColumn {
  /** The pattern word as shown (`""` for an empty one); '' for key words left over. */
  pattern: string;
  kind: 'literal' | 'star' | 'hash' | 'leftover';
  /** The key words this column took, as shown (`""` for empty ones). */
  taken: string[];
  /** What the column did, in words: 'took 1 word', '(no words)', 'equal', 'missing', ... */
  note: string;
  state: ColumnState;
}

/** A word as the lab shows it: an empty word is `""`, so that it can be seen. */
export function shownWord(word: string): string {
  return word === '' ? '""' : word;
}

/** A whole key as the lab shows it: the empty key is `""`. */
export function shownKey(key: string): string {
  return key === '' ? '""' : key;
}

function wordCount(n: number): string {
  return n === 1 ? 'took 1 word' : `took ${n} words`;
}

type Step = TopicExplanation['steps'][number];

function noteOf(step: Step, taken: readonly string[], patternWord: string, keyWords: readonly string[]): string {
  if (step.kind === 'hash') return taken.length === 0 ? '(no words)' : wordCount(taken.length);
  if (taken.length === 0) return 'no word left';
  if (step.kind === 'star') return 'took 1 word';
  if (step.ok) return 'equal';
  return patternWord === keyWords[step.keyStart] ? 'equal' : 'differs';
}

/** The columns for one explanation, in pattern order, then any key words no step took. */
export function alignmentColumns(explanation: TopicExplanation): AlignmentColumn[] {
  const { patternWords, keyWords, steps, matched } = explanation;
  const columns: AlignmentColumn[] = steps.map((step) => {
    const patternWord = patternWords[step.patternIndex]!;
    const taken = keyWords.slice(step.keyStart, step.keyEnd);
    return {
      pattern: shownWord(patternWord),
      kind: step.kind,
      taken: taken.map(shownWord),
      note: noteOf(step, taken, patternWord, keyWords),
      state: step.ok ? 'ok' : 'fail',
    };
  });
  const reached = new Set(steps.map((step) => step.patternIndex));
  patternWords.forEach((word, index) => {
    if (reached.has(index)) return;
    columns.push({ pattern: shownWord(word), kind: word === '#' ? 'hash' : word === '*' ? 'star' : 'literal', taken: [], note: 'not reached', state: 'unreached' });
  });
  const lastEnd = steps.reduce((end, step) => Math.max(end, step.keyEnd), 0);
  const everyStepFitted = steps.every((step) => step.ok);
  if (!matched && everyStepFitted && lastEnd < keyWords.length) {
    const left = keyWords.slice(lastEnd);
    columns.push({ pattern: '', kind: 'leftover', taken: left.map(shownWord), note: left.length === 1 ? '1 word left over' : `${left.length} words left over`, state: 'leftover' });
  }
  return columns;
}
