import { Role } from '@salesline/shared-kernel';
import { commandOf, deciderSpec, itRefuses } from '@salesline/shared-kernel/testing';
import { PriceListCommand, priceListDecider, PriceListEvent, priceListView } from './price-list';

const spec = deciderSpec(priceListDecider);
const cmd = <T extends PriceListCommand>(type: T['type'], data: T['data'], roles: Role[] = ['sales_manager']) =>
  commandOf<PriceListCommand>(type, data, { roles, userId: 'u-1', today: '2025-03-01' }) as T;

const creation = {
  priceListId: 'pl-1',
  name: 'ACME 2025',
  scope: { kind: 'customer' as const, customerId: 'c-1' },
  validFrom: '2025-01-01',
  validTo: '2025-12-31',
  items: [
    {
      productId: 'p-1',
      breaks: [
        { minQuantity: 1, unitPrice: 9_00 },
        { minQuantity: 10, unitPrice: 8_00 },
      ],
    },
  ],
};
// entered on 1 March, the list started on 1 January: it was published by then at the latest
const created: PriceListEvent = { type: 'PriceListCreated', data: { ...creation, createdOn: '2025-01-01' } };

describe('PriceList', () => {
  it('CreatePriceList → PriceListCreated', () => {
    spec.given().when(cmd('CreatePriceList', creation)).then([created]);
  });
  it('is published on the business date given, or today for a list that starts later', () => {
    spec
      .given()
      .when(cmd('CreatePriceList', { ...creation, createdOn: '2024-12-20' }))
      .then([{ type: 'PriceListCreated', data: { ...creation, createdOn: '2024-12-20' } }]);
    spec
      .given()
      .when(cmd('CreatePriceList', { ...creation, validFrom: '2025-04-01' }))
      .then([{ type: 'PriceListCreated', data: { ...creation, validFrom: '2025-04-01', createdOn: '2025-03-01' } }]);
  });
  it('refuses breaks not strictly increasing or starting below 1: InvalidPriceBreaks', () => {
    const bad = (breaks: { minQuantity: number; unitPrice: number }[]) =>
      cmd('CreatePriceList', { ...creation, items: [{ productId: 'p-1', breaks }] });
    spec
      .given()
      .when(bad([{ minQuantity: 0, unitPrice: 1 }]))
      .thenThrows('InvalidPriceBreaks');
    spec
      .given()
      .when(
        bad([
          { minQuantity: 5, unitPrice: 1 },
          { minQuantity: 5, unitPrice: 1 },
        ]),
      )
      .thenThrows('InvalidPriceBreaks');
    spec.given().when(bad([])).thenThrows('InvalidPriceBreaks');
  });
  it('refuses negative prices: InvalidAmount', () => {
    spec
      .given()
      .when(cmd('CreatePriceList', { ...creation, items: [{ productId: 'p-1', breaks: [{ minQuantity: 1, unitPrice: -1 }] }] }))
      .thenThrows('InvalidAmount');
  });
  it('refuses a zero price unless the item is free of charge for a named reason: ZeroPriceNotFreeOfCharge, InvalidFreeOfChargeReason', () => {
    const items = [{ productId: 'p-1', breaks: [{ minQuantity: 1, unitPrice: 0 }] }];
    spec
      .given()
      .when(cmd('CreatePriceList', { ...creation, items }))
      .thenThrows('ZeroPriceNotFreeOfCharge');
    spec
      .given()
      .when(cmd('CreatePriceList', { ...creation, items: [{ ...items[0], freeOfCharge: 'because' as never }] }))
      .thenThrows('InvalidFreeOfChargeReason');
    // free of charge is below any cost: an admin, with a reason
    const free = [{ ...items[0], freeOfCharge: 'sample' as const, belowCostReason: 'trade fair samples' }];
    spec
      .given()
      .when(cmd('CreatePriceList', { ...creation, items: free, standardCosts: { 'p-1': 6_00 } }))
      .thenThrows('PriceBelowCostForbidden', 'forbidden');
    spec
      .given()
      .when(cmd('CreatePriceList', { ...creation, items: free, standardCosts: { 'p-1': 6_00 } }, ['admin']))
      .then([
        { type: 'PriceListCreated', data: { ...creation, items, createdOn: '2025-01-01' } },
        {
          type: 'PriceListPriceBelowCostApproved',
          data: {
            priceListId: 'pl-1',
            productId: 'p-1',
            lowestUnitPrice: 0,
            standardCost: 6_00,
            approvedBy: 'u-1',
            reason: 'trade fair samples',
            freeOfCharge: 'sample',
            approvedOn: '2025-01-01',
          },
        },
      ]);
  });
  it('a price below standard cost needs an admin and a reason, recorded as PriceListPriceBelowCostApproved (ADR 0112)', () => {
    const standardCosts = { 'p-1': 8_50 };
    spec
      .given()
      .when(cmd('CreatePriceList', { ...creation, standardCosts }))
      .thenThrows('PriceBelowCostForbidden', 'forbidden');
    spec
      .given()
      .when(cmd('CreatePriceList', { ...creation, standardCosts }, ['admin']))
      .thenThrows('BelowCostReasonRequired');
    const items = [{ ...creation.items[0], belowCostReason: 'clearance' }];
    const state = spec
      .given()
      .when(cmd('CreatePriceList', { ...creation, items, standardCosts }, ['admin']))
      .then([
        created,
        {
          type: 'PriceListPriceBelowCostApproved',
          data: {
            priceListId: 'pl-1',
            productId: 'p-1',
            lowestUnitPrice: 8_00,
            standardCost: 8_50,
            approvedBy: 'u-1',
            reason: 'clearance',
            freeOfCharge: null,
            approvedOn: '2025-01-01',
          },
        },
      ]);
    expect(priceListView(state)?.belowCostApprovals).toEqual({
      'p-1': { productId: 'p-1', lowestUnitPrice: 8_00, standardCost: 8_50, approvedBy: 'u-1', reason: 'clearance', freeOfCharge: null },
    });
    // at or above cost: nothing to approve; changing the items drops earlier approvals
    spec
      .given()
      .when(cmd('CreatePriceList', { ...creation, standardCosts: { 'p-1': 8_00 } }))
      .then([created]);
    const changed = spec
      .given(...[created])
      .when(cmd('ChangePriceListItems', { items: creation.items, standardCosts: { 'p-1': 7_00 }, changedOn: '2025-02-01' }))
      .then([{ type: 'PriceListItemsChanged', data: { priceListId: 'pl-1', items: creation.items, changedOn: '2025-02-01' } }]);
    expect(priceListView(changed)?.belowCostApprovals).toEqual({});
  });
  itRefuses(spec, [
    [
      'refuses validTo before validFrom: InvalidValidityPeriod',
      [],
      cmd('CreatePriceList', { ...creation, validTo: '2024-12-31' }),
      'InvalidValidityPeriod',
    ],
    [
      'refuses the same product twice: DuplicatePriceListItem',
      [],
      cmd('CreatePriceList', { ...creation, items: [creation.items[0], creation.items[0]] }),
      'DuplicatePriceListItem',
    ],
    [
      'refuses a second creation: PriceListAlreadyExists',
      [created],
      cmd('CreatePriceList', creation),
      'PriceListAlreadyExists',
      'conflict',
    ],
    [
      'only sales managers (or admin) manage price lists: PriceManagementForbidden',
      [],
      cmd('CreatePriceList', creation, ['salesperson']),
      'PriceManagementForbidden',
      'forbidden',
    ],
  ]);
  it('ChangePriceListItems → PriceListItemsChanged', () => {
    const items = [{ productId: 'p-2', breaks: [{ minQuantity: 1, unitPrice: 5_00 }] }];
    const state = spec
      .given(created)
      .when(cmd('ChangePriceListItems', { items }))
      .then([{ type: 'PriceListItemsChanged', data: { priceListId: 'pl-1', items, changedOn: '2025-03-01' } }]);
    expect(priceListView(state)?.items).toEqual(items);
  });
  it('ClosePriceList → PriceListClosed (closedOn defaults to today); a closed list cannot change: PriceListClosed', () => {
    const closed: PriceListEvent = { type: 'PriceListClosed', data: { priceListId: 'pl-1', closedOn: '2025-03-01', reason: null } };
    spec.given(created).when(cmd('ClosePriceList', {})).then([closed]);
    spec
      .given(created, closed)
      .when(cmd('ChangePriceListItems', { items: creation.items }))
      .thenThrows('PriceListClosed', 'conflict');
    spec.given(created, closed).when(cmd('ClosePriceList', {})).then([]);
  });
  it('commands on an unknown list: PriceListNotFound', () => {
    spec.given().when(cmd('ClosePriceList', {})).thenThrows('PriceListNotFound', 'not_found');
  });
});
