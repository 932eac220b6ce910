import { RecordedEvent } from '@salesline/core';
import { projectionSpec, recordedEvent } from '@salesline/core/testing';
import { PriceListDoc, priceListsProjection, priceListViewOf } from './price-lists.projection';
import { productsProjection } from './products.projection';

let position = 0;
const recorded = (type: string, data: object, revision: number): RecordedEvent =>
  recordedEvent(
    's',
    { type, data },
    { position: ++position, revision, occurredAt: `2026-01-0${revision + 1}T00:00:00.000Z`, metadata: { actor: 'mia' } },
  );
const products = projectionSpec(productsProjection);
const priceLists = projectionSpec(priceListsProjection);

describe('products projection', () => {
  it('follows registration, price, cost and discontinuation', async () => {
    const doc = await products
      .given([
        recorded(
          'ProductRegistered',
          { productId: 'p-1', sku: 'S', name: 'W', unit: 'pcs', listPrice: 10, standardCost: 6, registeredOn: '2026-01-01' },
          0,
        ),
        recorded('ProductPriceChanged', { productId: 'p-1', listPrice: 12, previousListPrice: 10, changedOn: '2026-01-02' }, 1),
        recorded('ProductCostChanged', { productId: 'p-1', standardCost: 7, previousStandardCost: 6, changedOn: '2026-01-02' }, 2),
        recorded('ProductDiscontinued', { productId: 'p-1', reason: 'eol', discontinuedOn: '2026-01-03' }, 3),
      ])
      .document('p-1');
    expect(doc).toEqual({
      id: 'p-1',
      sku: 'S',
      name: 'W',
      unit: 'pcs',
      listPrice: 12,
      standardCost: 7,
      status: 'discontinued',
      discontinuedOn: '2026-01-03',
      discontinuedReason: 'eol',
      registeredOn: '2026-01-01',
      updatedAt: '2026-01-04T00:00:00.000Z',
      version: 3,
    });
  });

  it('ignores changes of a product it never saw registered', async () => {
    await products.given(recorded('ProductPriceChanged', { productId: 'p-9', listPrice: 1 }, 1)).then({});
  });
});

describe('price-lists projection', () => {
  const items = [{ productId: 'p-1', breaks: [{ minQuantity: 1, unitPrice: 9 }] }];
  const created = recorded(
    'PriceListCreated',
    {
      priceListId: 'pl-1',
      name: 'L',
      scope: { kind: 'group', customerGroup: 'wholesale' },
      validFrom: '2026-01-01',
      validTo: null,
      items,
      createdOn: '2025-12-20',
    },
    0,
  );

  it("is the decider's state: created, items changed, closed with its reason", async () => {
    const changed = [{ productId: 'p-1', breaks: [{ minQuantity: 1, unitPrice: 8 }] }];
    const doc = (await priceLists
      .given([
        created,
        recorded('PriceListItemsChanged', { priceListId: 'pl-1', items: changed, changedOn: '2026-01-02' }, 1),
        recorded('PriceListClosed', { priceListId: 'pl-1', closedOn: '2026-02-01', reason: 'superseded' }, 2),
      ])
      .document('pl-1')) as PriceListDoc;
    expect(doc).toMatchObject({
      id: 'pl-1',
      status: 'closed',
      name: 'L',
      items: changed,
      closedOn: '2026-02-01',
      closedReason: 'superseded',
      version: 2,
    });
    expect(priceListViewOf(doc)).toEqual({
      priceListId: 'pl-1',
      scope: { kind: 'group', customerGroup: 'wholesale' },
      validFrom: '2026-01-01',
      validTo: null,
      closedOn: '2026-02-01',
      items: changed,
      belowCostApprovals: {},
    });
  });

  it('starts open with no closing reason', async () => {
    expect(await priceLists.given(created).document('pl-1')).toMatchObject({ status: 'active', closedOn: null, closedReason: null });
  });
});
