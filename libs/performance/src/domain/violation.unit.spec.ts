import { Role } from '@salesline/shared-kernel';
import { commandOf, deciderSpec } from '@salesline/shared-kernel/testing';
import { PriceOverrideFact, RecordViolation, ViolationEvent, ViolationRecorded, violationDecider } from './violation';

const spec = deciderSpec(violationDecider);
type Ctx = { userId?: string; roles?: Role[]; today?: string };
const employee = { employeeId: 'sp-1', hiredOn: '2025-01-01', leftOn: null };
const override = (data: Partial<PriceOverrideFact> = {}): PriceOverrideFact => ({
  overrideId: 'po-1',
  salespersonId: 'sp-1',
  requestedOn: '2025-03-02',
  status: 'rejected',
  ...data,
});
/** What the manager reports, as the command carries it and the event records it. */
const reported: Omit<ViolationRecorded['data'], 'violationId' | 'recordedBy' | 'recordedOn'> = {
  employeeId: 'sp-1',
  kind: 'unauthorized_price_cut',
  severity: 'minor',
  description: 'Offered 15 % below list without approval',
  evidence: [{ kind: 'price_override_request', reference: 'po-1', note: 'rejected by the manager' }],
  occurredOn: '2025-03-02',
};
const record = (data: Partial<RecordViolation['data']> = {}, ctx: Ctx = {}) =>
  commandOf<RecordViolation>(
    'RecordViolation',
    {
      violationId: 'vi-1',
      ...reported,
      employee,
      priceOverrides: [override()],
      ...data,
    },
    { userId: 'm-1', roles: ['sales_manager'], today: '2025-03-10', ...ctx },
  );
const recorded = (violationId = 'vi-1'): ViolationEvent => ({
  type: 'ViolationRecorded',
  data: {
    violationId,
    ...reported,
    recordedBy: 'm-1',
    recordedOn: '2025-03-10',
  },
});

describe('Violation decider', () => {
  it('records a violation with evidence; a rejected attempt to sell below the floor counts as evidence', () => {
    const state = spec.given().when(record()).then([recorded()]);
    expect(state).toEqual({
      status: 'recorded',
      employeeId: 'sp-1',
      violations: [{ violationId: 'vi-1', kind: 'unauthorized_price_cut', severity: 'minor', occurredOn: '2025-03-02' }],
    });
  });
  it('records each kind from the source: competing products, business plans, deceiving customers, other', () => {
    for (const kind of ['competing_products', 'revealing_business_plans', 'deceiving_customers', 'other'] as const)
      expect(
        spec
          .given()
          .when(record({ kind, severity: 'serious', evidence: [{ kind: 'witness', reference: 'Statement of c-7' }] }))
          .events()[0].data,
      ).toMatchObject({
        kind,
        severity: 'serious',
        evidence: [{ kind: 'witness', reference: 'Statement of c-7', note: '' }],
      });
  });
  it.each([
    ['EvidenceRequired', 'rule', record({ evidence: [] })],
    ['DescriptionRequired', 'rule', record({ description: '' })],
    ['InvalidViolation', 'rule', record({ kind: 'lazy' as never })],
    ['InvalidViolation', 'rule', record({ severity: 'grave' as never })],
    ['InvalidEvidence', 'rule', record({ evidence: [{ kind: 'rumour' as never, reference: 'x' }] })],
    // price-override evidence is checked against quote-to-cash: it exists, is the employee’s, and was not approved
    ['EvidenceNotFound', 'not_found', record({ priceOverrides: [] })],
    ['EvidenceOfAnotherEmployee', 'rule', record({ priceOverrides: [override({ salespersonId: 'sp-2' })] })],
    ['PriceOverrideWasApproved', 'rule', record({ priceOverrides: [override({ status: 'approved' })] })],
    // only a manager or the administrative department, never about themselves
    ['NotAllowedToRecordConduct', 'forbidden', record({}, { roles: ['salesperson'], userId: 'sp-2' })],
    ['CannotRecordOwnConduct', 'forbidden', record({}, { userId: 'sp-1' })],
    // dates: not in the future, within employment
    ['ViolationDatedInFuture', 'rule', record({ occurredOn: '2025-03-11' })],
    ['ViolationOutsideEmployment', 'rule', record({ occurredOn: '2024-12-31' })],
    ['EmployeeNotFound', 'not_found', record({ employee: null })],
    // recorded on or after the day it occurred, never in the future
    ['RecordedBeforeViolation', 'rule', record({ recordedOn: '2025-03-01' })],
    ['ViolationDatedInFuture', 'rule', record({ recordedOn: '2025-03-11' })],
  ] as const)('refuses %s (%s)', (code, kind, command) => {
    spec.given().when(command).thenThrows(code, kind);
  });
  it('a price override still awaiting a decision counts as evidence', () => {
    expect(
      spec
        .given()
        .when(record({ priceOverrides: [override({ status: 'requested' })] }))
        .events(),
    ).toHaveLength(1);
  });
  it('is recorded on the business date given, on or after the day it occurred, never in the future', () => {
    // given a violation of 2 March entered on 10 March as recorded on 4 March
    spec
      .given()
      .when(record({ recordedOn: '2025-03-04' }))
      .then([{ ...recorded(), data: { ...recorded().data, recordedOn: '2025-03-04' } } as ViolationEvent]);
  });
  it('refuses the same violation twice', () => {
    spec.given(recorded()).when(record()).thenThrows('ViolationAlreadyRecorded', 'conflict');
    expect(
      spec
        .given(recorded())
        .when(record({ violationId: 'vi-2' }))
        .events(),
    ).toHaveLength(1);
  });
});
