import { describe, expect, it } from 'vitest';
import { describeMappingValue, detectionNotes, parseMapping } from './mapping-editor';

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

describe('detectionNotes', () => {
  it('lists what detection was unsure about, ignoring anything that is not text', () => {
    expect(
      detectionNotes({ detected: { notes: ['booking_date: fits DD/MM/YYYY and MM/DD/YYYY', 3] } }),
    ).toEqual(['booking_date: fits DD/MM/YYYY and MM/DD/YYYY']);
    expect(detectionNotes({ detected: null })).toEqual([]);
  });
});
