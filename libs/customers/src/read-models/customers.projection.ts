import { defineProjection, Recorded, writtenBy } from '@salesline/core';
import { assertNever } from '@salesline/shared-kernel';
import { CUSTOMER_EVENT_TYPES, CustomerEvent } from '../domain/customer';

/** The customer list analysts and salespeople query: one document per customer. */
export type CustomerDoc = {
  id: string;
  name: string;
  customerGroup: string;
  territory: string;
  ownerId: string;
  creditLimit: number;
  paymentTermsDays: number;
  status: 'active' | 'blocked';
  blockedReason: string | null;
  /** The business date of the block in force (null while active). */
  blockedOn: string | null;
  registeredOn: string;
  updatedAt: string;
  version: number;
};

export const evolveCustomerDoc = (doc: CustomerDoc | null, event: Recorded<CustomerEvent>): CustomerDoc | null => {
  const touched = { updatedAt: event.metadata.occurredAt, version: event.revision };
  if (event.type === 'CustomerRegistered') {
    const { customerId, registeredOn, ...profile } = event.data;
    return { id: customerId, ...profile, registeredOn, status: 'active', blockedReason: null, blockedOn: null, ...touched };
  }
  if (!doc) return null;
  switch (event.type) {
    case 'CustomerDetailsChanged':
      return { ...doc, ...event.data.changes, ...touched };
    case 'CreditLimitChanged':
      return { ...doc, creditLimit: event.data.creditLimit, ...touched };
    case 'CustomerBlocked':
      return { ...doc, status: 'blocked', blockedReason: event.data.reason, blockedOn: event.data.blockedOn, ...touched };
    case 'CustomerUnblocked':
      return { ...doc, status: 'active', blockedReason: null, blockedOn: null, ...touched };
    default:
      return assertNever(event);
  }
};

export const customersProjection = defineProjection<CustomerEvent>()({
  name: 'customers',
  collection: 'customers',
  documentation: {
    document: 'CustomerDoc',
    context: 'customers',
    summary:
      'One document per customer: the customer file as it stands (master data, credit limit, block status). Serves `GET /api/customers` and `/api/customers/{id}`.',
    meanings: {
      id: 'The customer id.',
      name: 'Legal or trading name.',
      customerGroup: 'Customer group: picks the group price list and groups reports.',
      territory: 'Sales territory the customer belongs to.',
      ownerId: 'The salesperson (employee id) the customer is assigned to.',
      creditLimit: 'Credit limit in minor units (0: cash only).',
      paymentTermsDays: 'Days from invoice date to due date.',
      status: '`blocked` refuses new orders and quotes until unblocked.',
      blockedReason: 'Why the customer was blocked (null while active).',
      registeredOn: 'Business date of registration.',
      updatedAt: 'Wall-clock time (occurredAt) of the last event applied.',
      version: 'Stream revision of the last event applied (0 for the first).',
    },
    sources: {
      ...writtenBy(['CustomerRegistered'], ['id', 'registeredOn']),
      ...writtenBy(['CustomerRegistered', 'CustomerDetailsChanged'], ['name', 'customerGroup', 'territory', 'ownerId', 'paymentTermsDays']),
      creditLimit: ['CustomerRegistered', 'CreditLimitChanged'],
      ...writtenBy(['CustomerRegistered', 'CustomerBlocked', 'CustomerUnblocked'], ['status', 'blockedReason', 'blockedOn']),
      ...writtenBy(
        ['CustomerRegistered', 'CustomerDetailsChanged', 'CreditLimitChanged', 'CustomerBlocked', 'CustomerUnblocked'],
        ['updatedAt', 'version'],
      ),
    },
  },
  handles: CUSTOMER_EVENT_TYPES,
  indexes: [{ fields: ['customerGroup'] }, { fields: ['territory'] }, { fields: ['ownerId'] }, { fields: ['status'] }],
  documentIds: (event) => [event.data.customerId],
  evolve: evolveCustomerDoc,
});
