import { Actor } from '@salesline/shared-kernel';
import { actor, command, deciderSpec, itRefuses } from '@salesline/shared-kernel/testing';
import { SalesPlanCommand, SalesPlanEvent, SubmitSalesPlan, salesPlanDecider } from './sales-plan';

const spec = deciderSpec(salesPlanDecider);
const ada = actor('e-1', 'salesperson');
const manager = actor('m-1', 'sales_manager');
const cmd = <C extends SalesPlanCommand>(type: C['type'], data: C['data'], by: Actor, today = '2025-03-25') =>
  command<C>(type, data, { actor: by, today });

const content = {
  customersToVisit: ['c-1', 'c-2', 'c-2'],
  plannedVisits: 6,
  expectedOrders: [
    { customerId: 'c-1', amount: 250_000, quantity: 10 },
    { productId: 'p-9', amount: 90_000, quantity: 3 },
  ],
  strategy: ' Win back c-2 with the new service plan. ',
};
const submit = (over: Partial<SubmitSalesPlan['data']> = {}, by: Actor = ada, today = '2025-03-25') =>
  cmd('SubmitSalesPlan', { planId: 'sp-1', employeeId: 'e-1', period: '2025-Q2', ...content, ...over }, by, today);
const submitted = (version = 1, submittedOn = '2025-03-25'): SalesPlanEvent => ({
  type: 'SalesPlanSubmitted',
  data: {
    planId: 'sp-1',
    employeeId: 'e-1',
    period: '2025-Q2',
    version,
    customersToVisit: ['c-1', 'c-2'],
    plannedVisits: 6,
    expectedOrders: content.expectedOrders,
    strategy: 'Win back c-2 with the new service plan.',
    submittedOn,
  },
});
const returned: SalesPlanEvent = {
  type: 'SalesPlanReturned',
  data: { planId: 'sp-1', version: 1, returnedBy: 'm-1', comments: 'Add c-7', returnedOn: '2025-03-26' },
};

describe('Sales plan decider', () => {
  describe('SubmitSalesPlan', () => {
    it('submits a quarter plan: customers (deduplicated), visits, expected orders, strategy', () => {
      spec.given([]).when(submit()).then([submitted()]);
    });
    it('accepts a month plan', () => {
      spec
        .given([])
        .when(submit({ period: '2025-04' }))
        .then([{ ...submitted(), data: { ...submitted().data, period: '2025-04' } } as SalesPlanEvent]);
    });
    it('refuses someone submitting another’s plan, even a manager', () => {
      spec.given([]).when(submit({}, manager)).thenThrows('NotOwnSalesPlan', 'forbidden');
    });
    it('refuses a year or malformed period', () => {
      spec
        .given([])
        .when(submit({ period: '2025' }))
        .thenThrows('InvalidPlanPeriod', 'rule');
      spec
        .given([])
        .when(submit({ period: 'Q2-2025' }))
        .thenThrows('InvalidPlanPeriod', 'rule');
    });
    itRefuses(spec, [
      ['refuses a period that has ended', [], submit({ period: '2025-02' }), 'SalesPlanPeriodClosed', 'rule'],
      [
        'refuses fewer planned visits than customers to visit',
        [],
        submit({ plannedVisits: 1 }),
        'PlannedVisitsTooFew',
        'rule',
        { customers: 2, plannedVisits: 1 },
      ],
      [
        'refuses an expected order naming neither customer nor product',
        [],
        submit({ expectedOrders: [{ amount: 1, quantity: 1 }] }),
        'ExpectedOrderUnspecified',
        'rule',
        { index: 0 },
      ],
      [
        'refuses negative expected amounts',
        [],
        submit({ expectedOrders: [{ customerId: 'c-1', amount: -1, quantity: 1 }] }),
        'InvalidSalesPlan',
        'rule',
      ],
      ['requires a strategy in words', [], submit({ strategy: ' ' }), 'StrategyRequired', 'rule'],
    ]);
    it('refuses a second submission while awaiting review, or after approval', () => {
      spec.given([submitted()]).when(submit()).thenThrows('SalesPlanAwaitingReview', 'conflict');
      spec
        .given([
          submitted(),
          { type: 'SalesPlanApproved', data: { planId: 'sp-1', version: 1, approvedBy: 'm-1', comments: '', approvedOn: '2025-03-26' } },
        ])
        .when(submit())
        .thenThrows('SalesPlanAlreadyApproved', 'conflict');
    });
    it('re-submits a returned plan as the next version', () => {
      spec
        .given([submitted(), returned])
        .when(submit({}, ada, '2025-03-27'))
        .then([submitted(2, '2025-03-27')]);
    });
    it('refuses a new version under another plan id', () => {
      spec
        .given([submitted(), returned])
        .when(submit({ planId: 'sp-2' }))
        .thenThrows('SalesPlanMismatch', 'conflict');
    });
  });

  describe('ApproveSalesPlan / ReturnSalesPlan', () => {
    it('a manager approves the submitted version', () => {
      spec
        .given([submitted()])
        .when(cmd('ApproveSalesPlan', { comments: 'Good' }, manager, '2025-03-26'))
        .then([
          {
            type: 'SalesPlanApproved',
            data: { planId: 'sp-1', version: 1, approvedBy: 'm-1', comments: 'Good', approvedOn: '2025-03-26' },
          },
        ]);
    });
    it('a manager returns it with comments', () => {
      spec
        .given([submitted()])
        .when(cmd('ReturnSalesPlan', { comments: ' Add c-7 ' }, manager, '2025-03-26'))
        .then([returned]);
    });
    itRefuses(spec, [
      [
        'requires comments when returning',
        [submitted()],
        cmd('ReturnSalesPlan', { comments: '' }, manager),
        'ReturnCommentsRequired',
        'rule',
      ],
      [
        'refuses a salesperson reviewing',
        [submitted()],
        cmd('ApproveSalesPlan', {}, actor('e-2', 'salesperson')),
        'NotAllowedToReviewPlan',
        'forbidden',
      ],
      [
        'refuses a manager reviewing their own plan',
        [submitted()],
        cmd('ApproveSalesPlan', {}, actor('e-1', 'salesperson', 'sales_manager')),
        'CannotReviewOwnPlan',
        'forbidden',
      ],
    ]);
    it('refuses reviewing a plan that is not awaiting review', () => {
      spec
        .given([])
        .when(cmd('ApproveSalesPlan', {}, manager))
        .thenThrows('SalesPlanNotFound', 'not_found');
      spec
        .given([submitted(), returned])
        .when(cmd('ApproveSalesPlan', {}, manager))
        .thenThrows('SalesPlanNotSubmitted', 'conflict');
      spec
        .given([
          submitted(),
          { type: 'SalesPlanApproved', data: { planId: 'sp-1', version: 1, approvedBy: 'm-1', comments: '', approvedOn: '2025-03-26' } },
        ])
        .when(cmd('ReturnSalesPlan', { comments: 'late thought' }, manager))
        .thenThrows('SalesPlanAlreadyApproved', 'conflict');
    });
  });
});
