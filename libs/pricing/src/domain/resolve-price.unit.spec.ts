import { PriceListView } from './price-list';
import { resolvePrice } from './resolve-price';

const product = { productId: 'p-1', listPrice: 10_00, standardCost: 6_00 };
const customer = { customerId: 'c-1', customerGroup: 'wholesale' };
const list = (over: Partial<PriceListView>): PriceListView => ({
  priceListId: 'pl',
  scope: { kind: 'customer', customerId: 'c-1' },
  validFrom: '2025-01-01',
  validTo: null,
  closedOn: null,
  items: [
    {
      productId: 'p-1',
      breaks: [
        { minQuantity: 1, unitPrice: 9_00 },
        { minQuantity: 10, unitPrice: 8_00 },
      ],
    },
  ],
  ...over,
});
const group = list({
  priceListId: 'pl-g',
  scope: { kind: 'group', customerGroup: 'wholesale' },
  items: [{ productId: 'p-1', breaks: [{ minQuantity: 1, unitPrice: 9_50 }] }],
});
const at = (priceLists: PriceListView[], quantity = 1, date = '2025-06-01') =>
  resolvePrice({ product, priceLists, customer, quantity, date });

describe('resolvePrice', () => {
  it('falls back to the product list price', () => {
    expect(at([])).toEqual({ unitPrice: 10_00, source: { kind: 'list' }, belowCostApprovedAtCost: null });
  });
  it('prefers a customer list over a group list', () => {
    expect(at([group, list({ priceListId: 'pl-c' })])).toEqual({
      unitPrice: 9_00,
      source: { kind: 'customer', priceListId: 'pl-c', minQuantity: 1 },
      belowCostApprovedAtCost: null,
    });
  });
  it('takes the highest break whose minQuantity ≤ quantity', () => {
    expect(at([list({})], 9).unitPrice).toBe(9_00);
    expect(at([list({})], 10)).toEqual({
      unitPrice: 8_00,
      source: { kind: 'customer', priceListId: 'pl', minQuantity: 10 },
      belowCostApprovedAtCost: null,
    });
    expect(at([list({})], 500).unitPrice).toBe(8_00);
  });
  it('falls through to the group level when no break of the customer list applies', () => {
    const onlyBulk = list({ items: [{ productId: 'p-1', breaks: [{ minQuantity: 100, unitPrice: 7_00 }] }] });
    expect(at([onlyBulk, group], 5).source).toEqual({ kind: 'group', priceListId: 'pl-g', minQuantity: 1 });
    expect(at([onlyBulk], 5).source).toEqual({ kind: 'list' });
  });
  it('ignores lists outside their validity, closed lists and other customers/groups', () => {
    expect(at([list({ validFrom: '2025-07-01' })]).source.kind).toBe('list');
    expect(at([list({ validTo: '2025-05-31' })]).source.kind).toBe('list');
    expect(at([list({ validTo: '2025-06-01' })]).source.kind).toBe('customer');
    expect(at([list({ closedOn: '2025-06-01' })]).source.kind).toBe('list');
    expect(at([list({ closedOn: '2025-06-02' })]).source.kind).toBe('customer');
    expect(at([list({ scope: { kind: 'customer', customerId: 'c-2' } })]).source.kind).toBe('list');
    expect(
      resolvePrice({ product, priceLists: [group], customer: { customerId: 'c-1', customerGroup: null }, quantity: 1, date: '2025-06-01' })
        .source.kind,
    ).toBe('list');
  });
  it('between overlapping lists of one level, the latest validFrom wins (ADR 0101)', () => {
    const older = list({ priceListId: 'pl-old', validFrom: '2025-01-01' });
    const newer = list({
      priceListId: 'pl-new',
      validFrom: '2025-05-01',
      items: [{ productId: 'p-1', breaks: [{ minQuantity: 1, unitPrice: 8_50 }] }],
    });
    expect(at([older, newer]).source).toEqual({ kind: 'customer', priceListId: 'pl-new', minQuantity: 1 });
    expect(at([newer, older]).unitPrice).toBe(8_50);
    // same validFrom: the smaller priceListId, whatever the input order
    const twin = list({
      priceListId: 'pl-a',
      validFrom: '2025-05-01',
      items: [{ productId: 'p-1', breaks: [{ minQuantity: 1, unitPrice: 8_70 }] }],
    });
    expect(at([newer, twin]).source).toMatchObject({ priceListId: 'pl-a' });
    expect(at([twin, newer]).source).toMatchObject({ priceListId: 'pl-a' });
  });
  it('a newer list that does not price the product lets an older one of the same level apply', () => {
    const older = list({ priceListId: 'pl-old' });
    const newer = list({
      priceListId: 'pl-new',
      validFrom: '2025-05-01',
      items: [{ productId: 'p-9', breaks: [{ minQuantity: 1, unitPrice: 1 }] }],
    });
    expect(at([older, newer]).source).toMatchObject({ priceListId: 'pl-old' });
  });
});
