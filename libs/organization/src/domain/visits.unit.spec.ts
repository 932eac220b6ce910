import { actor, command, deciderSpec } from '@salesline/shared-kernel/testing';
import { RecordCustomerVisit, VisitCommand, VisitEvent, VisitingEmployeeFact, visitsDecider } from './visits';

const spec = deciderSpec(visitsDecider);
const ada = actor('e-1', 'salesperson');
const manager = actor('m-1', 'sales_manager');
const employee: VisitingEmployeeFact = { employeeId: 'e-1', hiredOn: '2025-01-01', leftOn: null };

const record = (data: Partial<RecordCustomerVisit['data']> = {}, by = ada, today = '2025-03-10') =>
  command<VisitCommand>(
    'RecordCustomerVisit',
    {
      visitId: 'v-1',
      employeeId: 'e-1',
      customerId: 'c-1',
      visitedOn: '2025-03-09',
      outcome: 'Demo done, quote requested',
      employee,
      ...data,
    },
    { actor: by, today },
  );
const visited = (visitId = 'v-1', recordedBy = 'e-1'): VisitEvent => ({
  type: 'CustomerVisited',
  data: { visitId, employeeId: 'e-1', customerId: 'c-1', visitedOn: '2025-03-09', outcome: 'Demo done, quote requested', recordedBy },
});

describe('Customer visits decider', () => {
  it('records a salesperson’s own visit', () => {
    spec.given([]).when(record()).then([visited()]);
  });
  it('lets a sales manager record a visit for a salesperson', () => {
    spec
      .given([])
      .when(record({}, manager))
      .then([visited('v-1', 'm-1')]);
  });
  it('refuses recording someone else’s visit', () => {
    spec
      .given([])
      .when(record({}, actor('e-2', 'salesperson')))
      .thenThrows('NotOwnVisit', 'forbidden');
  });
  it('refuses a future visit and a visit outside employment', () => {
    spec
      .given([])
      .when(record({ visitedOn: '2025-03-11' }))
      .thenThrows('VisitDatedInFuture', 'rule');
    spec
      .given([])
      .when(record({ visitedOn: '2024-12-31' }))
      .thenThrows('VisitOutsideEmployment', 'rule');
    spec
      .given([])
      .when(record({ employee: { ...employee!, leftOn: '2025-03-01' } }))
      .thenThrows('VisitOutsideEmployment', 'rule');
  });
  it('refuses an unknown salesperson, a missing outcome, a bad date', () => {
    spec
      .given([])
      .when(record({ employee: null }))
      .thenThrows('EmployeeNotFound', 'not_found');
    spec
      .given([])
      .when(record({ outcome: ' ' }))
      .thenThrows('VisitOutcomeRequired', 'rule');
    spec
      .given([])
      .when(record({ visitedOn: '2025-02-30' }))
      .thenThrows('InvalidVisit', 'rule');
  });
  it('refuses recording the same visit twice, accepts another', () => {
    spec.given([visited()]).when(record()).thenThrows('VisitAlreadyRecorded', 'conflict');
    spec
      .given([visited()])
      .when(record({ visitId: 'v-2' }))
      .then([visited('v-2')]);
  });
  it('counts the visits', () => {
    expect(spec.given([visited(), visited('v-2')]).state()).toEqual({ employeeId: 'e-1', visitIds: ['v-1', 'v-2'], count: 2 });
  });
});
