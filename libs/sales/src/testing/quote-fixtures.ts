import { QuoteIssued, QuoteLine } from '../domain/quote';

/** The first revision of quote q-1, issued to c-1 by sp-1 on 2025-03-01 and valid through March. */
export const quoteIssued = (lines: QuoteLine[]): QuoteIssued => ({
  type: 'QuoteIssued',
  data: {
    quoteId: 'q-1',
    customerId: 'c-1',
    salespersonId: 'sp-1',
    quoteDate: '2025-03-01',
    validUntil: '2025-03-31',
    lines,
    revision: 1,
  },
});
