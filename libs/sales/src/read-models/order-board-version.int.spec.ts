import { AnyProjection, ProjectionHub, SqliteEventStore, SqliteReadStore, StoredDocument } from '@salesline/core';
import { makeTempDir, uniqueSuffix, within } from '@salesline/core/testing';
import { join } from 'node:path';
import { invoicedOrderHistory } from '../testing/order-history';
import { orderBoardProjection } from './order-board.projection';
import { orderTotalsId } from './order-totals';

// ADR 0029 added the order-totals rollups to the order board, and version 2 with them (ADR 0033): a deployment whose
// order board was projected before them gets them on its next start, without `projections:rebuild`.
const temp = makeTempDir('order-board-version');
afterAll(() => temp.remove());

/** The order board as it was before ADR 0029: the same documents, no rollups, no version. */
const orderBoardBeforeRollups: AnyProjection = { ...orderBoardProjection, version: undefined, rollup: undefined };
const silent = { log: () => undefined, error: () => undefined };

/** One start of the runtime on these files, until it has caught up: the order board's documents, rollups included. */
const start = async (eventsFile: string, readsFile: string, projection: AnyProjection): Promise<StoredDocument[]> => {
  const events = new SqliteEventStore(eventsFile);
  const reads = new SqliteReadStore(readsFile);
  const hub = new ProjectionHub(events, reads, [projection], [], silent);
  try {
    hub.start();
    await within(hub.atHead, 10_000, 'catch-up');
    return await reads.find('order_board');
  } finally {
    await hub.stop();
    await reads.close();
    await events.close();
  }
};

it('an order board projected before the rollups is rebuilt with them on start: the documents of a fresh deployment', async () => {
  const eventsFile = join(temp.path, `events-${uniqueSuffix()}.db`);
  const events = new SqliteEventStore(eventsFile);
  for (const n of [1, 2]) {
    const { order } = invoicedOrderHistory({
      n,
      customerId: 'c-1',
      orderDate: `2025-0${n}-10`,
      quantity: 2,
      unitPrice: 1_000 * n,
      salesCredit: [{ salespersonId: 'sp-anna', shareBp: 10_000 }],
      deliveredAfter: 1,
      invoicedAfter: 2,
      paidAfter: null,
    });
    const metadata = {
      actor: 'sp-anna',
      correlationId: `c${n}`,
      causationId: null,
      occurredAt: '2025-03-01T10:00:00.000Z',
      schemaVersion: 1,
    };
    await events.append(
      `order-o${n}`,
      order.map((event) => ({ ...event, metadata })),
      'no_stream',
    );
  }
  await events.close();
  const upgraded = join(temp.path, `reads-${uniqueSuffix()}.db`);
  const before = await start(eventsFile, upgraded, orderBoardBeforeRollups);
  expect(before.map((d) => d.id)).toEqual(['o1', 'o2']);

  const after = await start(eventsFile, upgraded, orderBoardProjection);

  expect(after.map((d) => d.id)).toContain(orderTotalsId('company', 'company', 'years'));
  expect(after).toEqual(await start(eventsFile, join(temp.path, `reads-${uniqueSuffix()}.db`), orderBoardProjection));
});
