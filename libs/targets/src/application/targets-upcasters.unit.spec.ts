import { UpcasterRegistry } from '@salesline/core';
import { eventMetadata } from '@salesline/core/testing';
import { targetsUpcasters } from './targets-upcasters';

const registry = new UpcasterRegistry(targetsUpcasters);
const metadata = (schemaVersion: number) => eventMetadata({ actor: 'u-head', occurredAt: '2024-12-15T17:30:00.000Z', schemaVersion });

describe('target plan events written before they carried the planner’s business date (schema version 1)', () => {
  it.each([
    ['TargetAssigned', { year: 2025, nodeKind: 'region', nodeId: 'north', revenue: 1 }, 'assignedOn'],
    ['TargetAssignmentWithdrawn', { year: 2025, nodeKind: 'region', nodeId: 'north' }, 'withdrawnOn'],
  ])('%s reads with the day it was recorded as its %s', (type, data, field) => {
    const read = registry.upcast({ type, data, metadata: metadata(1) });
    expect(read.data).toEqual({ ...data, [field]: '2024-12-15' });
    expect(read.metadata.schemaVersion).toBe(2);
  });

  it('leaves version 2 events as written', () => {
    const data = { year: 2025, nodeKind: 'region', nodeId: 'north', withdrawnOn: '2024-12-01' };
    expect(registry.upcast({ type: 'TargetAssignmentWithdrawn', data, metadata: metadata(2) }).data).toBe(data);
  });
});
