/**
 * Violations of the sales rules — stream `employee-violations-<employeeId>` (ADR 0303): selling competing products
 * of the same industry in the company's name, revealing business plans, unauthorized price cuts, deceiving customers,
 * or other. Every violation carries evidence; an attempt to sell below the price floor (a price-override request
 * from quote to cash, ADR 0102) is evidence the decider checks against the facts the application read.
 */
import type { BusinessDate, Command, Decider, DomainEvent } from '@salesline/shared-kernel';
import { assertNever, compareDates, conflict, notFound, ruleViolation, appended } from '@salesline/shared-kernel';
import { EmployeeFact, optionalText, requireId, requirePastDate, requireText } from './guards';
import { assertMayRecordConduct } from './performance-policy';

export const violationsStreamName = (employeeId: string): string => `employee-violations-${employeeId}`;

export const VIOLATION_KINDS = [
  'competing_products',
  'revealing_business_plans',
  'unauthorized_price_cut',
  'deceiving_customers',
  'other',
] as const;
export type ViolationKind = (typeof VIOLATION_KINDS)[number];
export const VIOLATION_SEVERITIES = ['minor', 'serious'] as const;
export type ViolationSeverity = (typeof VIOLATION_SEVERITIES)[number];
export const EVIDENCE_KINDS = ['document', 'price_override_request', 'witness', 'customer_complaint', 'other'] as const;
export type EvidenceKind = (typeof EVIDENCE_KINDS)[number];
export type Evidence = Readonly<{ kind: EvidenceKind; reference: string; note: string }>;
const MAX_EVIDENCE = 50;

// ── Events ───────────────────────────────────────────────────────────────────
export type ViolationRecorded = DomainEvent<
  'ViolationRecorded',
  {
    violationId: string;
    employeeId: string;
    kind: ViolationKind;
    severity: ViolationSeverity;
    description: string;
    evidence: Evidence[];
    occurredOn: BusinessDate;
    recordedBy: string;
    recordedOn: BusinessDate;
  }
>;
export type ViolationEvent = ViolationRecorded;

// ── Commands ─────────────────────────────────────────────────────────────────
/** A price-override request (order or quote) as the application read it for an evidence reference. */
export type PriceOverrideFact = Readonly<{
  overrideId: string;
  salespersonId: string;
  requestedOn: BusinessDate;
  status: 'requested' | 'approved' | 'rejected';
}>;

export type RecordViolation = Command<
  'RecordViolation',
  {
    violationId: string;
    employeeId: string;
    kind: ViolationKind;
    severity: ViolationSeverity;
    description: string;
    evidence: readonly Readonly<{ kind: EvidenceKind; reference: string; note?: string }>[];
    occurredOn: BusinessDate;
    /** The business date the violation was recorded (default today), on or after `occurredOn`, not in the future. */
    recordedOn?: BusinessDate;
    employee: EmployeeFact;
    /** The price-override requests named by `price_override_request` evidence (missing ones are unknown). */
    priceOverrides?: readonly PriceOverrideFact[];
  }
>;
export type ViolationCommand = RecordViolation;

// ── State ────────────────────────────────────────────────────────────────────
export type ViolationSummary = Readonly<{
  violationId: string;
  kind: ViolationKind;
  severity: ViolationSeverity;
  occurredOn: BusinessDate;
}>;
export type ViolationsState =
  Readonly<{ status: 'clean' }> | Readonly<{ status: 'recorded'; employeeId: string; violations: readonly ViolationSummary[] }>;
export const initialViolationsState = (): ViolationsState => ({ status: 'clean' });

// ── Decide ───────────────────────────────────────────────────────────────────
const checkEvidence = (d: RecordViolation['data'], employeeId: string): Evidence[] => {
  if (!Array.isArray(d.evidence) || d.evidence.length === 0)
    throw ruleViolation('EvidenceRequired', 'A violation is recorded with evidence');
  if (d.evidence.length > MAX_EVIDENCE) throw ruleViolation('InvalidEvidence', `At most ${MAX_EVIDENCE} pieces of evidence`);
  return d.evidence.map((e) => {
    if (!EVIDENCE_KINDS.includes(e.kind))
      throw ruleViolation('InvalidEvidence', `Evidence kind must be one of ${EVIDENCE_KINDS.join(', ')}`);
    const reference = requireText(e.reference, 'evidence.reference', 'InvalidEvidence', 500);
    if (e.kind === 'price_override_request') {
      const request = (d.priceOverrides ?? []).find((o) => o.overrideId === reference);
      if (!request) throw notFound('EvidenceNotFound', `No price-override request ${reference}`, { reference });
      if (request.salespersonId !== employeeId)
        throw ruleViolation('EvidenceOfAnotherEmployee', `Price-override request ${reference} counts against ${request.salespersonId}`, {
          reference,
        });
      if (request.status === 'approved')
        throw ruleViolation('PriceOverrideWasApproved', `Price-override request ${reference} was approved: the price cut was authorized`, {
          reference,
        });
    }
    return { kind: e.kind, reference, note: optionalText(e.note, 'evidence.note', 'InvalidEvidence') };
  });
};

export const decideViolation = (command: ViolationCommand, state: ViolationsState): ViolationEvent[] => {
  const { actor, today } = command.context;
  switch (command.type) {
    case 'RecordViolation': {
      const d = command.data;
      const employeeId = requireId(d.employeeId, 'employeeId', 'InvalidViolation');
      assertMayRecordConduct(actor, employeeId);
      const violationId = requireId(d.violationId, 'violationId', 'InvalidViolation');
      if (!VIOLATION_KINDS.includes(d.kind)) throw ruleViolation('InvalidViolation', `kind must be one of ${VIOLATION_KINDS.join(', ')}`);
      if (!VIOLATION_SEVERITIES.includes(d.severity))
        throw ruleViolation('InvalidViolation', `severity must be one of ${VIOLATION_SEVERITIES.join(', ')}`);
      const description = requireText(d.description, 'description', 'DescriptionRequired');
      const occurredOn = requirePastDate(d.occurredOn, 'occurredOn', 'InvalidViolation', 'ViolationDatedInFuture', today);
      if (!d.employee || d.employee.employeeId !== employeeId) throw notFound('EmployeeNotFound', `No salesperson ${employeeId}`);
      if (
        compareDates(occurredOn, d.employee.hiredOn) < 0 ||
        (d.employee.leftOn !== null && compareDates(occurredOn, d.employee.leftOn) > 0)
      )
        throw ruleViolation('ViolationOutsideEmployment', `${employeeId} was not employed on ${occurredOn}`, { occurredOn });
      const recordedOn = requirePastDate(d.recordedOn ?? today, 'recordedOn', 'InvalidViolation', 'ViolationDatedInFuture', today);
      if (compareDates(recordedOn, occurredOn) < 0)
        throw ruleViolation('RecordedBeforeViolation', `A violation is recorded once it occurred (${occurredOn})`, { recordedOn });
      const evidence = checkEvidence(d, employeeId);
      if (state.status === 'recorded' && state.violations.some((v) => v.violationId === violationId))
        throw conflict('ViolationAlreadyRecorded', `Violation ${violationId} is already recorded`);
      return [
        {
          type: 'ViolationRecorded',
          data: {
            violationId,
            employeeId,
            kind: d.kind,
            severity: d.severity,
            description,
            evidence,
            occurredOn,
            recordedBy: actor.userId,
            recordedOn,
          },
        },
      ];
    }
    default:
      return assertNever(command.type);
  }
};

// ── Evolve ───────────────────────────────────────────────────────────────────
export const evolveViolations = (state: ViolationsState, event: ViolationEvent): ViolationsState => {
  switch (event.type) {
    case 'ViolationRecorded': {
      const { violationId, kind, severity, occurredOn, employeeId } = event.data;
      const before = state.status === 'recorded' ? state.violations : [];
      return { status: 'recorded', employeeId, violations: appended(before, { violationId, kind, severity, occurredOn }) };
    }
    default:
      return assertNever(event.type);
  }
};

export const violationDecider: Decider<ViolationsState, ViolationCommand, ViolationEvent> = {
  decide: decideViolation,
  evolve: evolveViolations,
  initialState: initialViolationsState,
};
