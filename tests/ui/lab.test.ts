import { describe, expect, it } from 'vitest';
import { explainTopic } from '../../src/broker/topic';
import { alignmentColumns, shownKey } from '../../src/ui/lab/alignment';

const columns = (pattern: string, key: string) =>
  alignmentColumns(explainTopic(pattern, key)).map((c) => [c.pattern, c.taken.join('.'), c.state]);

describe('the Topic lab lays out the core’s alignment', () => {
  it('gives each * one word and each # its run, possibly empty', () => {
    expect(columns('*.orange.*', 'quick.orange.rabbit')).toEqual([
      ['*', 'quick', 'ok'],
      ['orange', 'orange', 'ok'],
      ['*', 'rabbit', 'ok'],
    ]);
    expect(columns('lazy.#', 'lazy')).toEqual([
      ['lazy', 'lazy', 'ok'],
      ['#', '', 'ok'],
    ]);
    expect(columns('lazy.#', 'lazy.a.b')).toEqual([
      ['lazy', 'lazy', 'ok'],
      ['#', 'a.b', 'ok'],
    ]);
  });

  it('shows empty words and the empty key visibly, and marks where the match fails', () => {
    expect(columns('a.*.b', 'a..b')).toEqual([
      ['a', 'a', 'ok'],
      ['*', '""', 'ok'],
      ['b', 'b', 'ok'],
    ]);
    expect(shownKey('')).toBe('""');
    const failed = alignmentColumns(explainTopic('*.orange.*', 'quick.orange'));
    expect(failed.some((c) => c.state === 'fail')).toBe(true);
  });
});
