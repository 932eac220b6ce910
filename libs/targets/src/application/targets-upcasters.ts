import type { EventMetadata, Upcaster } from '@salesline/core';

/**
 * Target plans are written at schema version 2 (issue 8 §3): `TargetAssigned.assignedOn` and
 * `TargetAssignmentWithdrawn.withdrawnOn` date the planner's step. Version 1 events lacked it and could not be
 * back-dated: they read with the day they were recorded.
 */
export const TARGET_PLAN_SCHEMA_VERSION = 2;

const recordingDay = (metadata: EventMetadata) => metadata.occurredAt.slice(0, 10);
const dated = (type: string, field: string): Upcaster => ({
  type,
  fromVersion: 1,
  upcast: (data: Record<string, unknown>, metadata) => ({ ...data, [field]: data[field] ?? recordingDay(metadata) }),
});

export const targetsUpcasters: Upcaster[] = [dated('TargetAssigned', 'assignedOn'), dated('TargetAssignmentWithdrawn', 'withdrawnOn')];
