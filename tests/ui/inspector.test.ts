import { describe, expect, it } from 'vitest';
import { ccText, entryText, headerRows, headerValue, parseCc, parseNumber, parseOptionalNumber, withEntry } from '../../src/ui/panels/fields';

describe('inspector fields: form text as document values', () => {
  it('reads optional and required numbers', () => {
    expect(parseOptionalNumber('  ')).toEqual({ ok: true, value: undefined });
    expect(parseOptionalNumber('5', { integer: true, min: 0 })).toEqual({ ok: true, value: 5 });
    expect(parseOptionalNumber('1.5', { integer: true })).toEqual({ ok: false, reason: "'1.5' is not a whole number" });
    expect(parseOptionalNumber('-1', { min: 0 })).toEqual({ ok: false, reason: 'at least 0' });
    expect(parseOptionalNumber('many').ok).toBe(false);
    expect(parseNumber('').ok).toBe(false);
  });

  it('sets and clears arguments without touching the original', () => {
    const args = { 'x-max-length': 5 };
    expect(withEntry(args, 'x-max-length', undefined)).toEqual({});
    expect(withEntry(args, 'x-dead-letter-exchange', '')).toEqual(args);
    expect(withEntry(args, 'x-overflow', 'reject-publish')).toEqual({ 'x-max-length': 5, 'x-overflow': 'reject-publish' });
    expect(args).toEqual({ 'x-max-length': 5 });
    expect(entryText({ a: { $long: 7 } }, 'a')).toBe('7');
    expect(entryText({}, 'a')).toBe('');
  });

  it('reads CC lists and header rows', () => {
    expect(parseCc(' a, ,b ')).toEqual(['a', 'b']);
    expect(parseCc('')).toBeUndefined();
    expect(ccText(['a', 'b'])).toBe('a, b');
    expect(headerRows({ 'x-match': 'any', format: 'pdf', n: 2 })).toEqual([
      { key: 'format', value: 'pdf' },
      { key: 'n', value: '2' },
    ]);
    expect([headerValue('2'), headerValue('true'), headerValue('pdf'), headerValue('1e3')]).toEqual([2, true, 'pdf', '1e3']);
  });
});
