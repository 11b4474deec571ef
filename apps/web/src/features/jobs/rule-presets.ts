/** Rule sets a person can start from without writing any; sent inline with the job. */
export const RULE_PRESETS: {
  value: string;
  label: string;
  description: string;
  rules: Record<string, unknown>;
}[] = [
  {
    value: 'preset:reference-amount',
    label: 'Reference and amount',
    description: 'Same reference (ignoring case and spaces) and the same amount to the cent.',
    rules: {
      version: 1,
      passes: [
        {
          name: 'Reference and amount',
          comparisons: [
            { type: 'exact', field: 'reference', normalisers: ['trim', 'case'] },
            { type: 'amount', tolerance_minor: 0 },
          ],
        },
      ],
    },
  },
  {
    value: 'preset:reference-then-amount-date',
    label: 'Reference first, then amount and date',
    description:
      'Pass 1 matches on reference and amount. Pass 2 matches the rest on amount within 5 days, scored by how alike the descriptions are; these are suggested for review.',
    rules: {
      version: 1,
      passes: [
        {
          name: 'Reference and amount',
          comparisons: [
            { type: 'exact', field: 'reference', normalisers: ['trim', 'case'] },
            { type: 'amount', tolerance_minor: 0 },
          ],
        },
        {
          name: 'Amount and date',
          comparisons: [
            { type: 'amount', tolerance_minor: 0 },
            { type: 'date', field: 'booking_date', min_days: -5, max_days: 5 },
            { type: 'text', field: 'description', threshold: 0.3, required: false },
          ],
        },
      ],
    },
  },
];

/** The preset for a select value, if it is one. */
export function presetRules(value: string): Record<string, unknown> | undefined {
  return RULE_PRESETS.find((preset) => preset.value === value)?.rules;
}
