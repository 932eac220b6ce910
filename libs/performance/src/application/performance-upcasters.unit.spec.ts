import { UpcasterRegistry } from '@salesline/core';
import { performanceUpcasters } from './performance-upcasters';
import { lateInMarchCase } from '../testing/fixtures';

const registry = new UpcasterRegistry(performanceUpcasters);
const metadata = (schemaVersion: number) => ({
  actor: 'system',
  correlationId: 'c',
  causationId: null,
  occurredAt: '2025-05-20T08:00:00.000Z',
  schemaVersion,
});
const triggeringFacts = [
  { factId: 'mt-1/sp-1', kind: 'late', occurredOn: '2025-03-03' },
  { factId: 'mt-3/sp-1', kind: 'late', occurredOn: '2025-03-07' },
  { factId: 'mt-2/sp-1', kind: 'late', occurredOn: '2025-03-05' },
];
const v1 = {
  ...lateInMarchCase(triggeringFacts),
  openedOn: '2025-05-20',
  openedBy: 'system',
};

describe('disciplinary cases written before they carried the day their threshold was crossed (schema version 1)', () => {
  it('opens the case on its latest triggering fact, not on the day it was written', () => {
    // given a version 1 case written on 20 May about March's facts
    const read = registry.upcast({ type: 'DisciplinaryCaseOpened', data: v1, metadata: metadata(1) });
    // then it arose on 7 March and was recorded on 20 May
    expect(read.data).toEqual({ ...v1, openedOn: '2025-03-07' });
    expect(read.metadata.schemaVersion).toBe(2);
  });

  it('leaves version 2 cases as written', () => {
    const data = { ...v1, openedOn: '2025-03-07' };
    expect(registry.upcast({ type: 'DisciplinaryCaseOpened', data, metadata: metadata(2) }).data).toBe(data);
  });
});

describe('meetings scheduled before the event carried the day they were scheduled (schema version 1)', () => {
  const scheduled = { meetingId: 'mt-1', kind: 'department', title: 'Weekly', startsAt: '09:00', attendees: ['sp-1'], scheduledBy: 'm-1' };
  it('reads a meeting planned ahead as scheduled on the day it was recorded', () => {
    const read = registry.upcast({ type: 'MeetingScheduled', data: { ...scheduled, scheduledFor: '2025-05-26' }, metadata: metadata(1) });
    expect(read.data).toEqual({ ...scheduled, scheduledFor: '2025-05-26', scheduledOn: '2025-05-20' });
  });
  it('reads a past meeting recorded after its day as scheduled on its day', () => {
    const read = registry.upcast({ type: 'MeetingScheduled', data: { ...scheduled, scheduledFor: '2025-03-10' }, metadata: metadata(1) });
    expect(read.data).toEqual({ ...scheduled, scheduledFor: '2025-03-10', scheduledOn: '2025-03-10' });
  });
  it('leaves version 2 meetings as written', () => {
    const data = { ...scheduled, scheduledFor: '2025-03-10', scheduledOn: '2025-03-01' };
    expect(registry.upcast({ type: 'MeetingScheduled', data, metadata: metadata(2) }).data).toBe(data);
  });
});
