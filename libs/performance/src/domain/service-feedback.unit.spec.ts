import { Role } from '@salesline/shared-kernel';
import { commandOf, deciderSpec } from '@salesline/shared-kernel/testing';
import { RecordServiceFeedback, ServiceFeedbackEvent, serviceFeedbackDecider } from './service-feedback';

const spec = deciderSpec(serviceFeedbackDecider);
const employee = { employeeId: 'sp-1', hiredOn: '2025-01-01', leftOn: null };
const record = (data: Partial<RecordServiceFeedback['data']> = {}, ctx: { userId?: string; roles?: Role[]; today?: string } = {}) =>
  commandOf<RecordServiceFeedback>(
    'RecordServiceFeedback',
    {
      feedbackId: 'f-1',
      customerId: 'c-1',
      employeeId: 'sp-1',
      score: 4,
      comment: ' Quick repair ',
      receivedOn: '2025-03-09',
      employee,
      ...data,
    },
    { userId: 'as-1', roles: ['admin_department'], today: '2025-03-10', ...ctx },
  );
const recorded = (feedbackId = 'f-1', score = 4): ServiceFeedbackEvent => ({
  type: 'ServiceFeedbackRecorded',
  data: { feedbackId, customerId: 'c-1', employeeId: 'sp-1', score, comment: 'Quick repair', receivedOn: '2025-03-09', recordedBy: 'as-1' },
});

describe('Service feedback decider', () => {
  it('records a customer’s feedback with score, comment and business date', () => {
    const state = spec.given().when(record()).then([recorded()]);
    expect(state).toEqual({ status: 'collecting', employeeId: 'sp-1', feedbackIds: ['f-1'], count: 1, scoreSum: 4 });
  });
  it('accepts the integration account and a sales manager', () => {
    expect(
      spec
        .given()
        .when(record({}, { roles: ['integration'] }))
        .events(),
    ).toHaveLength(1);
    expect(
      spec
        .given()
        .when(record({}, { roles: ['sales_manager'] }))
        .events(),
    ).toHaveLength(1);
  });
  it('scores 1..5 in whole numbers', () => {
    for (const score of [0, 6, 4.5]) spec.given().when(record({ score })).thenThrows('InvalidFeedbackScore', 'rule');
    for (const score of [1, 5]) expect(spec.given().when(record({ score })).events()[0].data.score).toBe(score);
  });
  it.each([
    // not a salesperson, and no one about themselves
    ['NotAllowedToRecordFeedback', 'forbidden', record({}, { roles: ['salesperson'], userId: 'sp-2' })],
    ['CannotRecordOwnConduct', 'forbidden', record({}, { roles: ['sales_manager'], userId: 'sp-1' })],
    // a future date, a bad date, an unknown salesperson, a date before hiring
    ['FeedbackDatedInFuture', 'rule', record({ receivedOn: '2025-03-11' })],
    ['InvalidServiceFeedback', 'rule', record({ receivedOn: '2025-02-30' })],
    ['EmployeeNotFound', 'not_found', record({ employee: null })],
    ['FeedbackBeforeEmployment', 'rule', record({ receivedOn: '2024-12-31' })],
  ] as const)('refuses %s (%s)', (code, kind, command) => {
    spec.given().when(command).thenThrows(code, kind);
  });
  it('accepts feedback after the salesperson left (it is about service they gave)', () =>
    expect(
      spec
        .given()
        .when(record({ employee: { ...employee, leftOn: '2025-03-01' } }))
        .events(),
    ).toHaveLength(1));
  it('refuses the same feedback twice', () => {
    spec.given(recorded()).when(record()).thenThrows('FeedbackAlreadyRecorded', 'conflict');
  });
  it('keeps count and sum of scores', () =>
    expect(spec.given(recorded(), recorded('f-2', 2)).state()).toMatchObject({ count: 2, scoreSum: 6 }));
});
