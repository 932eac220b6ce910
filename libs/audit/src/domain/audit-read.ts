import { DomainEvent } from '@salesline/shared-kernel';

/** Who read which audit view, with which query, and when (appended on `audit-reads-<reader>`). */
export type AuditViewRead = DomainEvent<
  'AuditViewRead',
  { view: string; subjectId: string; query: Record<string, string | number>; readerId: string; readOn: string }
>;
