import { join } from 'node:path';
import { applyEventsToProjection, ReadModels, ReadYourWrites, RecordedEvent, SqliteReadStore } from '@salesline/core';
import { makeTempDir } from '@salesline/core/testing';
import { AuditTimelines } from '../application/audit-timelines';
import { auditLinksProjection } from './audit-links.projection';
import { auditTimelineProjection } from './audit-timeline.projection';

const temp = makeTempDir('audit-timeline');
afterAll(() => temp.remove());

const recorded = (position: number, streamName: string, type: string, data: unknown): RecordedEvent => ({
  id: `e-${position}`,
  streamName,
  revision: position,
  position,
  type,
  data,
  metadata: { actor: 'fiona', correlationId: `c-${position}`, causationId: null, occurredAt: '2025-01-01T00:00:00.000Z', schemaVersion: 1 },
  recordedAt: '2025-01-01T00:00:00.000Z',
});

describe('the audit index', () => {
  it('pages a customer with 10,000 events fast, from the index, oldest first', async () => {
    const store = new SqliteReadStore(join(temp.path, 'read-models.db'));
    await store.ensureIndexes(auditTimelineProjection.collection, auditTimelineProjection.indexes ?? []);
    const events: RecordedEvent[] = [];
    for (let p = 1; p <= 12_000; p++) {
      const customer = p % 6 === 0 ? 'c-other' : 'c-big'; // 10,000 about c-big, 2,000 about another
      events.push(
        recorded(p, `account-${customer}`, 'PaymentReceived', {
          paymentId: `p-${p}`,
          amount: 100,
          receivedOn: '2025-01-02',
          reference: null,
        }),
      );
    }
    let checkpoint = 0;
    for (let i = 0; i < events.length; i += 500) {
      const batch = events.slice(i, i + 500);
      const next = batch[batch.length - 1].position;
      await applyEventsToProjection(
        store,
        auditTimelineProjection,
        batch,
        auditTimelineProjection.name,
        auditTimelineProjection.collection,
        checkpoint,
        next,
      );
      await applyEventsToProjection(
        store,
        auditLinksProjection,
        batch,
        auditLinksProjection.name,
        auditLinksProjection.collection,
        checkpoint,
        next,
      );
      checkpoint = next;
    }
    // Pages read no event store and wait for no position: read models over the store alone.
    const timelines = new AuditTimelines(null as never, new ReadModels(store, new ReadYourWrites(null as never, store, null as never, [])));
    const subjects = await timelines.subjectsOf('customer', 'c-big');

    const started = process.hrtime.bigint();
    const first = await timelines.page(subjects, 0, 100);
    const middle = await timelines.page(subjects, 6_000, 100);
    const lastPage = await timelines.page(subjects, 11_990, 100);
    const elapsedMs = Number(process.hrtime.bigint() - started) / 1e6;

    expect(first.entries).toHaveLength(100);
    expect(first.entries[0]).toMatchObject({
      position: 1,
      stream: 'account-c-big',
      businessDate: '2025-01-02',
      event: { type: 'PaymentReceived' },
    });
    expect(middle.entries[0].position).toBe(6_001);
    expect(lastPage.entries.map((e) => e.position)).toEqual(Array.from({ length: 10 }, (_, i) => 11_991 + i).filter((p) => p % 6 !== 0));
    expect(lastPage.next).toBeNull();
    // Three pages of a 10k-event subject: tens of milliseconds, not a scan of the log.
    expect(elapsedMs).toBeLessThan(500);

    let count = 0;
    for (let after = 0, page = await timelines.page(subjects, 0, 1000); ; page = await timelines.page(subjects, after, 1000)) {
      count += page.entries.length;
      if (page.next === null) break;
      after = page.next;
    }
    expect(count).toBe(10_000);
    await store.close();
  });
});
