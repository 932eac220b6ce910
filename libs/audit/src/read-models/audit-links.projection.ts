import { Projection } from '@salesline/core';
import { subjectsOf } from '../domain/audit-subjects';

/** For each subject, the other subjects whose events belong to its history (an order's quote and invoices, an employee's plans and cases). */
export type AuditLinksDoc = { id: string; members: string[] };

export const auditLinksProjection: Projection<AuditLinksDoc> = {
  name: 'audit-links',
  collection: 'audit_links',
  handles: [],
  handlesAllEvents: true,
  documentIds: (event) => [...new Set(subjectsOf(event).links.map(([owner]) => owner))],
  evolve: (doc, event, owner) => {
    const members = doc?.members ?? [];
    const added = subjectsOf(event)
      .links.filter(([o, m]) => o === owner && !members.includes(m))
      .map(([, m]) => m);
    if (doc && added.length === 0) return doc;
    return { id: owner, members: [...members, ...added] };
  },
};
