import { UpcasterRegistry } from '@salesline/core';
import { eventMetadata } from '@salesline/core/testing';
import { pricingUpcasters } from './pricing-upcasters';

const registry = new UpcasterRegistry(pricingUpcasters);
const metadata = (schemaVersion: number) => eventMetadata({ actor: 'mia', occurredAt: '2025-03-01T10:00:00.000Z', schemaVersion });
const list = { priceListId: 'pl-1', name: 'L', scope: { kind: 'group', customerGroup: 'trade' }, validTo: null, items: [] };

describe('price lists created before they carried their publication date (schema version 1)', () => {
  it('reads a list that started before it was recorded as published on its first day', () => {
    const read = registry.upcast({ type: 'PriceListCreated', data: { ...list, validFrom: '2025-01-01' }, metadata: metadata(1) });
    expect(read.data).toEqual({ ...list, validFrom: '2025-01-01', createdOn: '2025-01-01' });
  });
  it('reads a list published ahead of time as published on the day it was recorded', () => {
    const read = registry.upcast({ type: 'PriceListCreated', data: { ...list, validFrom: '2025-04-01' }, metadata: metadata(1) });
    expect(read.data).toEqual({ ...list, validFrom: '2025-04-01', createdOn: '2025-03-01' });
  });
  it('leaves version 2 lists as written', () => {
    const data = { ...list, validFrom: '2025-04-01', createdOn: '2025-02-20' };
    expect(registry.upcast({ type: 'PriceListCreated', data, metadata: metadata(2) }).data).toBe(data);
  });
});
