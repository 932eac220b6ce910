import { NewEvent, SqliteEventStore } from '@salesline/core';
import { accountStream } from '@salesline/receivables';
import { join } from 'node:path';

const meta = { actor: 'seed', correlationId: 'seed', causationId: null, occurredAt: '2026-01-01T00:00:00.000Z', schemaVersion: 1 };

/**
 * Writes a log of `events` events straight through the event store into DATA_DIR/events.db, as
 * a system with a long past would have it: customers registered, then many credit-limit
 * changes each. Appends of `perStream` events keep it quick (one fsync per append).
 */
export const writeLargeLog = async (dataDir: string, events: number, perStream = 100): Promise<number> => {
  const store = new SqliteEventStore(join(dataDir, 'events.db'));
  try {
    for (let c = 0; c * perStream < events; c++) {
      const customerId = `seed-${c}`;
      const batch: NewEvent[] = [
        {
          type: 'CustomerRegistered',
          data: {
            customerId,
            name: `Customer ${c}`,
            customerGroup: `g${c % 10}`,
            territory: `t${c % 7}`,
            ownerId: `sp${c % 25}`,
            creditLimit: 100_000,
            paymentTermsDays: 30,
            registeredOn: '2026-01-01',
          },
          metadata: meta,
        },
      ];
      for (let i = 1; i < Math.min(perStream, events - c * perStream); i++) {
        batch.push({
          type: 'CreditLimitChanged',
          data: { customerId, previousCreditLimit: 100_000 + i - 1, creditLimit: 100_000 + i, reason: 'review' },
          metadata: meta,
        });
      }
      await store.append(`customer-${customerId}`, batch, 'no_stream');
    }
    return await store.headPosition();
  } finally {
    await store.close();
  }
};

export const registered = (i: number): NewEvent => ({
  type: 'CustomerRegistered',
  data: {
    customerId: `c${i}`,
    name: `Customer ${i}`,
    customerGroup: `g${i % 10}`,
    territory: `t${i % 7}`,
    ownerId: `sp${i % 25}`,
    creditLimit: 100_000,
    paymentTermsDays: 30,
    registeredOn: '2026-01-01',
  },
  metadata: meta,
});

const reservedFor = (i: number): NewEvent => ({
  type: 'CreditReserved',
  data: { orderId: `seed-o${i}`, amount: 1, exposure: i + 1, creditLimit: null, decidedOn: '2026-01-01', forcedBy: null },
  metadata: meta,
});

/** Writes `n` events on a customer's account (one credit reservation per past order), in appends of 1000. */
export const seedAccount = async (store: SqliteEventStore, customerId: string, n: number) => {
  for (let from = 0; from < n; from += 1000) {
    const batch = Array.from({ length: Math.min(1000, n - from) }, (_, i) => reservedFor(from + i));
    await store.append(accountStream(customerId), batch, from === 0 ? 'no_stream' : from - 1);
  }
};
