import { projectionSpec } from '@salesline/core/testing';
import { CustomerEvent } from '../domain/customer';
import { customersProjection } from './customers.projection';

const registered = (customerId: string, name: string): CustomerEvent => ({
  type: 'CustomerRegistered',
  data: {
    customerId,
    name,
    customerGroup: 'retail',
    territory: 'north',
    ownerId: 'sp-anna',
    paymentTermsDays: 30,
    creditLimit: 5_000_00,
    registeredOn: '2025-01-10',
  },
});
const blocked = (customerId: string): CustomerEvent => ({
  type: 'CustomerBlocked',
  data: { customerId, reason: 'unpaid', blockedOn: '2025-02-01' },
});
const unblocked = (customerId: string): CustomerEvent => ({
  type: 'CustomerUnblocked',
  data: { customerId, reason: 'paid', unblockedOn: '2025-02-05' },
});
const spec = projectionSpec(customersProjection, { streamOf: (e) => `customer-${(e.data as { customerId: string }).customerId}` });

describe('customers projection', () => {
  it('keeps one document per customer, with its status and the revision of its stream', async () => {
    await spec.given(registered('c-1', 'Acme'), registered('c-2', 'Beta'), blocked('c-1')).then({
      'c-1': expect.objectContaining({ name: 'Acme', status: 'blocked', blockedReason: 'unpaid', blockedOn: '2025-02-01', version: 1 }),
      'c-2': expect.objectContaining({ name: 'Beta', status: 'active', blockedReason: null, version: 0 }),
    });
  });

  it('clears the reason when the customer is unblocked', async () => {
    expect(await spec.given(registered('c-1', 'Acme'), blocked('c-1'), unblocked('c-1')).document('c-1')).toMatchObject({
      status: 'active',
      blockedReason: null,
      blockedOn: null,
    });
  });

  it('ignores changes to a customer it never saw registered', async () => {
    await spec.given(blocked('c-9')).then({});
  });
});
