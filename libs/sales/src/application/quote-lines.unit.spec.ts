import { PricedLine } from '@salesline/pricing';
import { DomainError } from '@salesline/shared-kernel';
import { quoteLineInput } from './quote-lines';

const priced = (over: Partial<PricedLine['product']> = {}): PricedLine => ({
  product: { productId: 'p-1', listPrice: 10_00, standardCost: 6_00, discontinued: false, ...over },
  resolved: { unitPrice: 9_00, source: { kind: 'group', priceListId: 'pl-1', minQuantity: 5 }, belowCostApprovedAtCost: null },
});

describe('quoteLineInput', () => {
  it('takes the resolved price, its source and the standard cost; numbers the line by position', () => {
    expect(quoteLineInput({ productId: 'p-1', quantity: 5 }, 1, priced())).toEqual({
      lineId: 'L2',
      productId: 'p-1',
      quantity: 5,
      unitPrice: 9_00,
      resolvedUnitPrice: 9_00,
      priceSource: { kind: 'group', priceListId: 'pl-1', minQuantity: 5 },
      unitCost: 6_00,
      overrideReason: null,
      resolvedBelowCostApprovedAtCost: null,
    });
  });

  it('keeps an offered price and line id, and the reason for a lower price', () => {
    expect(
      quoteLineInput({ lineId: 'a', productId: 'p-1', quantity: 1, unitPrice: 8_00, overrideReason: 'loyal' }, 0, priced()),
    ).toMatchObject({
      lineId: 'a',
      unitPrice: 8_00,
      resolvedUnitPrice: 9_00,
      overrideReason: 'loyal',
    });
  });

  it('refuses a discontinued product: ProductDiscontinued (409)', () => {
    const attempt = () => quoteLineInput({ productId: 'p-1', quantity: 1 }, 0, priced({ discontinued: true }));
    expect(attempt).toThrow(DomainError);
    expect(attempt).toThrow(expect.objectContaining({ code: 'ProductDiscontinued', kind: 'conflict' }));
  });
});
