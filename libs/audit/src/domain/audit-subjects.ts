import { DATE_PATTERN } from '@salesline/shared-kernel';

/** The part of a recorded event the subject rules read (structurally the event store's RecordedEvent). */
type AuditedEvent = Readonly<{ type: string; data: unknown; streamName: string; metadata: Readonly<{ actor?: string }> }>;

/**
 * What an event is about, for the auditors' timelines. Pure: everything comes from the event.
 *
 * An event is indexed under every subject it names directly (`order:<id>`, `customer:<id>`, …, from
 * its data and its lines), under its own stream (`stream:<name>`), and under its actor (`actor:<userId>`).
 * Some facts are about a thing without naming it — a payment allocated to an invoice is about the
 * invoice's order; a sales plan's approval is about the employee whose plan it is — so events also
 * yield *links*: owner subject → member subject, and a timeline reads its subject and its members.
 */
export const TIMELINE_KINDS = ['order', 'customer', 'employee', 'product', 'quote', 'return'] as const;
export type TimelineKind = (typeof TIMELINE_KINDS)[number];

/** Data fields that name a subject, and the kind of subject they name. */
const REFERENCE_FIELDS: Readonly<Record<string, string>> = {
  orderId: 'order',
  customerId: 'customer',
  employeeId: 'employee',
  salespersonId: 'employee',
  // The salesperson a customer is assigned to (CustomerRegistered; CustomerDetailsChanged names it in `changes`).
  ownerId: 'employee',
  productId: 'product',
  quoteId: 'quote',
  returnId: 'return',
  invoiceId: 'invoice',
  creditNoteId: 'credit-note',
};

const REFERENCE_ENTRIES = Object.entries(REFERENCE_FIELDS);

/** Arrays of employee ids (meeting attendees). */
const EMPLOYEE_LIST_FIELDS = ['attendees'];

/** Stream categories (longest first, since ids and categories both contain dashes). */
export const STREAM_CATEGORIES = [
  'territory-objection',
  'employee-violations',
  'improvement-plan',
  'disciplinary-case',
  'service-feedback',
  'employee-visits',
  'bill-of-lading',
  'sales-expenses',
  'product-sku',
  'target-plan',
  'sales-plan',
  'price-list',
  'appraisal-scheme',
  'audit-reads',
  'discipline-policy',
  'appraisal',
  'customer',
  'employee',
  'account',
  'meeting',
  'product',
  'region',
  'order',
  'quote',
  'team',
  'user',
].sort((a, b) => b.length - a.length);

const CATEGORY_PREFIXES = STREAM_CATEGORIES.map((c) => [c, `${c}-`] as const);

export const streamCategory = (stream: string): string =>
  CATEGORY_PREFIXES.find(([, prefix]) => stream.startsWith(prefix))?.[0] ?? stream.slice(0, Math.max(0, stream.indexOf('-')));

/**
 * Streams that belong to a subject named in their events: every event of the stream, even one
 * that names only its own document (SalesPlanApproved: planId), is part of that subject's history.
 */
const OWNED_STREAMS: Readonly<Record<string, readonly string[]>> = {
  employee: [
    'sales-plan',
    'appraisal',
    'disciplinary-case',
    'improvement-plan',
    'employee-violations',
    'employee-visits',
    'service-feedback',
    'territory-objection',
  ],
};

/** Streams whose id is the id of the subject they are about (`account-<customerId>`). */
const STREAM_IS_ABOUT: Readonly<Record<string, string>> = {
  customer: 'customer',
  account: 'customer',
  employee: 'employee',
  'employee-violations': 'employee',
  'employee-visits': 'employee',
  'service-feedback': 'employee',
  order: 'order',
  quote: 'quote',
  product: 'product',
};

/** Subjects named together with an order, quote or return are part of its history (its invoices, its credit notes). */
const CO_REFERENCES: ReadonlyArray<readonly [owner: string, member: string]> = [
  ['order', 'quote'],
  ['order', 'invoice'],
  ['return', 'credit-note'],
];

export const subjectKey = (kind: string, id: string) => `${kind}:${id}`;
export const streamSubject = (stream: string) => `stream:${stream}`;
export const actorSubject = (userId: string) => `actor:${userId}`;

const isId = (v: unknown): v is string => typeof v === 'string' && v.length > 0 && v.length <= 200;

/** Event data as the audit reads it: any event's fields, by name. */
const isFields = (data: unknown): data is Record<string, unknown> => !!data && typeof data === 'object';

/** The subjects an event names directly (deduplicated), by kind. */
export const referencesOf = (event: Pick<AuditedEvent, 'data' | 'type'>): Map<string, Set<string>> => {
  const refs = new Map<string, Set<string>>();
  const add = (kind: string, id: unknown) => {
    if (!isId(id)) return;
    if (!refs.has(kind)) refs.set(kind, new Set());
    refs.get(kind)!.add(id);
  };
  const data = event.data;
  if (!isFields(data)) return refs;
  for (const [field, kind] of REFERENCE_ENTRIES) add(kind, data[field]);
  // A change names the new owner inside its changes: the customer is now part of that salesperson's history.
  const changes = data.changes as Record<string, unknown> | undefined;
  if (changes && typeof changes === 'object') add('employee', changes.ownerId);
  for (const field of EMPLOYEE_LIST_FIELDS) if (Array.isArray(data[field])) for (const id of data[field] as unknown[]) add('employee', id);
  // Targets assigned to a salesperson name them as a node.
  if (data.nodeKind === 'salesperson') add('employee', data.nodeId);
  // Order and quote lines name products; credit goes to salespeople.
  for (const list of ['lines', 'items', 'salesCredit']) {
    if (!Array.isArray(data[list])) continue;
    for (const line of data[list] as Array<Record<string, unknown>>) {
      if (line && typeof line === 'object') {
        add('product', line.productId);
        add('employee', line.salespersonId);
      }
    }
  }
  return refs;
};

export type EventSubjects = Readonly<{
  /** Subjects the event is about (its stream included). */
  about: readonly string[];
  actor: string | null;
  /** owner → member links this event establishes. */
  links: ReadonlyArray<readonly [owner: string, member: string]>;
}>;

/**
 * Worked out once per recorded event, however many read models ask (the timeline's and the links'
 * document ids, the links' evolve): a recorded event is never changed, so its subjects are kept beside it.
 */
const subjectsByEvent = new WeakMap<AuditedEvent, EventSubjects>();

export const subjectsOf = (event: AuditedEvent): EventSubjects => {
  let subjects = subjectsByEvent.get(event);
  if (!subjects) subjectsByEvent.set(event, (subjects = subjectsOfEvent(event)));
  return subjects;
};

const subjectsOfEvent = (event: AuditedEvent): EventSubjects => {
  const refs = referencesOf(event);
  const about = new Set<string>();
  const links: Array<readonly [string, string]> = [];
  const category = streamCategory(event.streamName);
  const streamKind = STREAM_IS_ABOUT[category];
  // The stream itself is a subject only where no entity stands for it (a sales plan, a case).
  about.add(streamKind ? subjectKey(streamKind, event.streamName.slice(category.length + 1)) : streamSubject(event.streamName));
  for (const [kind, ids] of refs) for (const id of ids) about.add(subjectKey(kind, id));
  for (const [kind, categories] of Object.entries(OWNED_STREAMS)) {
    if (!categories.includes(category)) continue;
    for (const id of refs.get(kind) ?? []) links.push([subjectKey(kind, id), streamSubject(event.streamName)]);
  }
  for (const [owner, member] of CO_REFERENCES) {
    for (const ownerId of refs.get(owner) ?? [])
      for (const memberId of refs.get(member) ?? []) links.push([subjectKey(owner, ownerId), subjectKey(member, memberId)]);
  }
  const actor = typeof event.metadata?.actor === 'string' ? actorSubject(event.metadata.actor) : null;
  return { about: [...about], actor, links };
};

/** The stream that holds an entity's own events (its decider's stream). */
export const ownStreamOf = (kind: TimelineKind, id: string): string | null => (kind === 'return' ? null : `${kind}-${id}`);

const NOT_THE_FACTS_DATE = new Set(['dueDate', 'validUntil', 'scheduledFor', 'effectiveFrom', 'effectiveTo', 'validFrom', 'validTo']);

/** The business date of the fact: the first `…On` / `…Date` field holding a date (not a due date or a validity). */
export const businessDateOf = (data: unknown): string | null => {
  if (!data || typeof data !== 'object') return null;
  // Keys, not entries: no pair allocated per field of every event of the log.
  for (const field of Object.keys(data)) {
    if (NOT_THE_FACTS_DATE.has(field)) continue;
    const value = (data as Record<string, unknown>)[field];
    if ((field.endsWith('On') || field.endsWith('Date') || field === 'date') && typeof value === 'string' && DATE_PATTERN.test(value))
      return value;
  }
  return null;
};
