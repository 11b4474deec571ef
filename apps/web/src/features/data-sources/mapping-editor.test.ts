import { describe, expect, it } from 'vitest';
import { describeMappingValue, parseMapping } from './mapping-editor';

describe('parseMapping', () => {
  it('accepts a JSON object', () => {
    expect(parseMapping('{"reference":"Ref"}')).toEqual({ ok: true, mapping: { reference: 'Ref' } });
  });

  it('refuses an array, because a mapping is field → column', () => {
    expect(parseMapping('["Ref"]')).toMatchObject({ ok: false });
  });

  it('says why broken JSON cannot be saved', () => {
    const result = parseMapping('{reference:');
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.message).toMatch(/Not valid JSON/);
  });
});

describe('describeMappingValue', () => {
  it('shows a plain column name as is', () => {
    expect(describeMappingValue('Amount')).toBe('Amount');
  });

  it('lists the options of a column with a format', () => {
    expect(describeMappingValue({ column: 'Date', format: 'DD/MM/YYYY' })).toBe(
      'column: Date · format: DD/MM/YYYY',
    );
  });
});
