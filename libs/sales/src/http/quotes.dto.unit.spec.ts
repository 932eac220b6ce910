import { checkQuickValidationAgainstFullPipe } from '@salesline/core/testing';
import { IssueQuoteBody, ReviseQuoteBody } from './quotes.dto';

const line = { productId: 'p-1', quantity: 10 };

/** Quote bodies (nested lines, inherited fields) are checked by the validation pipe's quick path when valid: it must answer as the full pipe does. */
describe('quote bodies: the quick validation path answers as the full pipe', () => {
  it.each([
    [
      'an issue with its nested lines',
      IssueQuoteBody,
      [
        { customerId: 'c-1', lines: [line] },
        {
          customerId: 'c-1',
          salespersonId: 'sp-anna',
          quoteDate: '2026-03-01',
          validUntil: '2026-03-31',
          lines: [
            { lineId: 'line-1', ...line, unitPrice: 900, overrideReason: 'volume' },
            { productId: 'p-2', quantity: 1, unitPrice: 0, freeOfCharge: 'sample' },
          ],
        },
      ],
    ],
    [
      'a revision',
      ReviseQuoteBody,
      [{ lines: [line] }, { revisedOn: '2026-03-10', validUntil: '2026-04-10', lines: [line, { ...line, lineId: 'line-2' }] }],
    ],
  ] as const)('%s', async (_what, dto, examples) => {
    const accepted = await checkQuickValidationAgainstFullPipe(dto, examples, { runs: 200, seed: 13 });
    expect(accepted.quick).toBeGreaterThan(5);
  });
});
