import { Projection } from '@salesline/core';
import { subjectsOf } from '../domain/audit-subjects';

/** For each subject, the other subjects whose events belong to its history (an order's quote and invoices, an employee's plans and cases). */
export type AuditLinksDoc = { id: string; members: string[] };

/** What most events name (they link nothing): one empty list, not one per event of the log. */
const NO_OWNERS: readonly string[] = [];

export const auditLinksProjection: Projection<AuditLinksDoc> = {
  name: 'audit-links',
  collection: 'audit_links',
  documentation: {
    document: 'AuditLinksDoc',
    context: 'audit',
    summary:
      "Per subject, the other subjects that belong to its history (an order's quote and invoices, a return's credit note, an employee's plans, appraisals and cases).",
    meanings: {
      id: 'The owner subject (`order:<id>`, `employee:<id>`, …).',
      members: "Subjects whose events belong to the owner's history (its quote, invoices, plans, appraisals, cases).",
    },
    sources: {
      id: ['CustomerVisited', 'ServiceFeedbackRecorded', 'QuoteConverted', 'InvoiceIssued', 'CreditNoteIssued'],
      members: [
        'CustomerVisited',
        'ServiceFeedbackRecorded',
        'QuoteConverted',
        'InvoiceIssued',
        'DisciplinaryCaseOpened',
        'CreditNoteIssued',
        'AppraisalScored',
        'ImprovementPlanSet',
        'ViolationRecorded',
        'SalesPlanSubmitted',
      ],
    },
  },
  handles: [],
  handlesAllEvents: true,
  documentIds: (event) => {
    const { links } = subjectsOf(event);
    return links.length === 0 ? NO_OWNERS : [...new Set(links.map(([owner]) => owner))];
  },
  evolve: (doc, event, owner) => {
    const members = doc?.members ?? [];
    const added = subjectsOf(event)
      .links.filter(([o, m]) => o === owner && !members.includes(m))
      .map(([, m]) => m);
    if (doc && added.length === 0) return doc;
    return { id: owner, members: [...members, ...added] };
  },
};
