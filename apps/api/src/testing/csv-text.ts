// Text for the CSV writers' property tests.

import fc from 'fast-check';

/** Text that is mostly plain but often holds what CSV and spreadsheets treat specially. */
export const awkwardText = fc.string({
  unit: fc.oneof(
    { weight: 6, arbitrary: fc.constantFrom('a', 'Z', '7', 'é', '李', ' ', '🎟') },
    { weight: 1, arbitrary: fc.constantFrom(',', '"', "'", '\n', '\r', '\t', '=', '+', '-', '@', '\uFEFF') },
  ),
  maxLength: 12,
});
