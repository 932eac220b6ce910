import { UpcasterRegistry } from '@salesline/core';
import { eventMetadata } from '@salesline/core/testing';
import { customerUpcasters } from './customer-upcasters';

const registry = new UpcasterRegistry(customerUpcasters);
const metadata = (schemaVersion: number) => eventMetadata({ actor: 'fiona', occurredAt: '2024-03-05T23:10:00.000Z', schemaVersion });

describe('customer events written before they carried a business date (schema version 1)', () => {
  it.each([
    ['CustomerDetailsChanged', { customerId: 'c-1', changes: { name: 'Acme AG' } }, 'changedOn'],
    ['CreditLimitChanged', { customerId: 'c-1', previousCreditLimit: 0, creditLimit: 10, reason: 'review' }, 'changedOn'],
    ['CustomerBlocked', { customerId: 'c-1', reason: 'unpaid' }, 'blockedOn'],
    ['CustomerUnblocked', { customerId: 'c-1', reason: 'paid' }, 'unblockedOn'],
  ])('%s reads with the day it was recorded as its %s', (type, data, field) => {
    const read = registry.upcast({ type, data, metadata: metadata(1) });
    expect(read.data).toEqual({ ...data, [field]: '2024-03-05' });
    expect(read.metadata.schemaVersion).toBe(2);
  });

  it('leaves version 2 events, which carry their own date, as written', () => {
    const data = { customerId: 'c-1', reason: 'unpaid', blockedOn: '2024-02-01' };
    expect(registry.upcast({ type: 'CustomerBlocked', data, metadata: metadata(2) }).data).toBe(data);
  });

  it('has nothing to add to a registration, which always carried registeredOn', () => {
    const data = { customerId: 'c-1', registeredOn: '2024-01-01' };
    expect(registry.upcast({ type: 'CustomerRegistered', data, metadata: metadata(1) }).data).toBe(data);
  });
});
