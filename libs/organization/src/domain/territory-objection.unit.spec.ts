import { Actor } from '@salesline/shared-kernel';
import { actor, command, deciderSpec, itRefuses } from '@salesline/shared-kernel/testing';
import { ObjectingEmployeeFact, TerritoryObjectionCommand } from './territory-objection';
import { TerritoryObjectionEvent, territoryObjectionDecider } from './territory-objection';

const spec = deciderSpec(territoryObjectionDecider);
const ada = actor('e-1', 'salesperson');
const manager = actor('m-1', 'sales_manager');
const adminDept = actor('ad-1', 'admin_department');
const scheduler = actor('scheduler', 'integration');
const cmd = <C extends TerritoryObjectionCommand>(type: C['type'], data: C['data'], by: Actor, today = '2025-03-01') =>
  command<C>(type, data, { actor: by, today });

const employee: ObjectingEmployeeFact = { employeeId: 'e-1', status: 'active', teamId: 't-a', territories: ['oslo', 'bergen'] };
const raise = (fact: ObjectingEmployeeFact = employee, by = ada, territory = 'oslo') =>
  cmd(
    'RaiseTerritoryObjection',
    { objectionId: 'ob-1', employeeId: 'e-1', territory, reason: 'Two hours from home; no car', employee: fact },
    by,
  );

const raised: TerritoryObjectionEvent = {
  type: 'TerritoryObjectionRaised',
  data: {
    objectionId: 'ob-1',
    employeeId: 'e-1',
    teamId: 't-a',
    territory: 'oslo',
    reason: 'Two hours from home; no car',
    raisedOn: '2025-03-01',
  },
};
const sweep = (today: string, territoryEscalationDays = 10) =>
  cmd('EscalateOverdueTerritoryObjection', { settings: { territoryEscalationDays } }, scheduler, today);
const escalated: TerritoryObjectionEvent = {
  type: 'TerritoryDisputeEscalated',
  data: { objectionId: 'ob-1', escalatedOn: '2025-03-11', afterDays: 10 },
};

describe('Territory objection decider', () => {
  describe('RaiseTerritoryObjection', () => {
    it('lets a salesperson object to an assigned territory, dated today', () => {
      spec.given([]).when(raise()).then([raised]);
    });
    itRefuses(spec, [
      ['refuses objecting for someone else', [], raise(employee, actor('e-2', 'salesperson')), 'NotOwnTerritory', 'forbidden'],
      ['refuses a territory that is not assigned', [], raise(employee, ada, 'tromso'), 'TerritoryNotAssigned', 'rule'],
    ]);
    it('refuses an unknown employee or one who left', () => {
      spec.given([]).when(raise(null)).thenThrows('EmployeeNotFound', 'not_found');
      spec
        .given([])
        .when(raise({ ...employee!, status: 'left' }))
        .thenThrows('EmployeeHasLeft', 'conflict');
    });
    itRefuses(spec, [
      [
        'requires a reason',
        [],
        cmd('RaiseTerritoryObjection', { objectionId: 'ob-1', employeeId: 'e-1', territory: 'oslo', reason: ' ', employee }, ada),
        'ObjectionReasonRequired',
        'rule',
      ],
      ['refuses raising the same objection twice', [raised], raise(), 'TerritoryObjectionAlreadyRaised', 'conflict'],
    ]);
  });

  describe('ResolveTerritoryObjection (manager, before escalation)', () => {
    it('records the manager’s decision', () => {
      spec
        .given([raised])
        .when(cmd('ResolveTerritoryObjection', { decision: 'objection_upheld', note: 'Swap oslo for drammen' }, manager, '2025-03-04'))
        .then([
          {
            type: 'TerritoryObjectionResolved',
            data: {
              objectionId: 'ob-1',
              resolvedBy: 'm-1',
              decision: 'objection_upheld',
              note: 'Swap oslo for drammen',
              resolvedOn: '2025-03-04',
            },
          },
        ]);
    });
    it('is dated by the manager’s business date, not before the objection was raised', () => {
      const resolve = (resolvedOn: string) =>
        cmd('ResolveTerritoryObjection', { decision: 'objection_upheld', note: 'x', resolvedOn }, manager, '2025-05-01');
      spec
        .given([raised])
        .when(resolve('2025-03-06'))
        .then([
          {
            type: 'TerritoryObjectionResolved',
            data: { objectionId: 'ob-1', resolvedBy: 'm-1', decision: 'objection_upheld', note: 'x', resolvedOn: '2025-03-06' },
          },
        ]);
      spec.given([raised]).when(resolve('2025-02-27')).thenThrows('DatedBeforeRaised', 'rule');
    });
    itRefuses(spec, [
      [
        'refuses a salesperson',
        [raised],
        cmd('ResolveTerritoryObjection', { decision: 'objection_upheld', note: 'x' }, ada),
        'NotAllowedToResolveObjection',
        'forbidden',
      ],
      [
        'refuses the administrative department before escalation',
        [raised],
        cmd('ResolveTerritoryObjection', { decision: 'objection_upheld', note: 'x' }, adminDept),
        'NotAllowedToResolveObjection',
        'forbidden',
      ],
      [
        'refuses a manager resolving their own objection',
        [raised],
        cmd('ResolveTerritoryObjection', { decision: 'objection_upheld', note: 'x' }, actor('e-1', 'salesperson', 'sales_manager')),
        'CannotResolveOwnObjection',
        'forbidden',
      ],
    ]);
    it('refuses an unknown decision and a missing note', () => {
      spec
        .given([raised])
        .when(cmd('ResolveTerritoryObjection', { decision: 'shrug' as never, note: 'x' }, manager))
        .thenThrows('InvalidDecision', 'rule');
      spec
        .given([raised])
        .when(cmd('ResolveTerritoryObjection', { decision: 'objection_rejected', note: '' }, manager))
        .thenThrows('DecisionNoteRequired', 'rule');
    });
    itRefuses(spec, [
      [
        'refuses once escalated',
        [raised, escalated],
        cmd('ResolveTerritoryObjection', { decision: 'objection_upheld', note: 'x' }, manager),
        'TerritoryDisputeAlreadyEscalated',
        'conflict',
      ],
      [
        'refuses an unknown objection',
        [],
        cmd('ResolveTerritoryObjection', { decision: 'objection_upheld', note: 'x' }, manager),
        'TerritoryObjectionNotFound',
        'not_found',
      ],
    ]);
  });

  describe('EscalateOverdueTerritoryObjection (sweep)', () => {
    it('does nothing before the deadline', () => {
      spec.given([raised]).when(sweep('2025-03-10')).then([]);
    });
    it('escalates on the deadline day', () => {
      spec.given([raised]).when(sweep('2025-03-11')).then([escalated]);
    });
    it('dates a late sweep’s escalation on the day the objection fell due (a past month entered later escalates in that month)', () => {
      spec.given([raised]).when(sweep('2025-03-15')).then([escalated]);
    });
    it('uses the configured number of days', () => {
      spec
        .given([raised])
        .when(sweep('2025-03-04', 3))
        .then([{ type: 'TerritoryDisputeEscalated', data: { objectionId: 'ob-1', escalatedOn: '2025-03-04', afterDays: 3 } }]);
    });
    it('does nothing for a resolved, withdrawn or already escalated objection', () => {
      const resolved: TerritoryObjectionEvent = {
        type: 'TerritoryObjectionResolved',
        data: { objectionId: 'ob-1', resolvedBy: 'm-1', decision: 'objection_rejected', note: 'no', resolvedOn: '2025-03-02' },
      };
      spec.given([raised, resolved]).when(sweep('2025-04-01')).then([]);
      spec
        .given([raised, { type: 'TerritoryObjectionWithdrawn', data: { objectionId: 'ob-1', withdrawnOn: '2025-03-02' } }])
        .when(sweep('2025-04-01'))
        .then([]);
      spec.given([raised, escalated]).when(sweep('2025-04-01')).then([]);
      spec.given([]).when(sweep('2025-04-01')).then([]);
    });
    itRefuses(spec, [
      ['refuses an invalid setting', [raised], sweep('2025-04-01', 0), 'InvalidSetting', 'rule'],
      [
        'refuses a salesperson running the sweep',
        [raised],
        cmd('EscalateOverdueTerritoryObjection', { settings: { territoryEscalationDays: 10 } }, ada, '2025-04-01'),
        'NotAllowedToEscalate',
        'forbidden',
      ],
    ]);
  });

  describe('RecordAdministrativeDecision (after escalation)', () => {
    it('records the administrative department’s decision', () => {
      spec
        .given([raised, escalated])
        .when(cmd('RecordAdministrativeDecision', { decision: 'territory_reassigned', note: 'Oslo goes to e-7' }, adminDept, '2025-03-14'))
        .then([
          {
            type: 'AdministrativeDecisionRecorded',
            data: {
              objectionId: 'ob-1',
              decidedBy: 'ad-1',
              decision: 'territory_reassigned',
              note: 'Oslo goes to e-7',
              decidedOn: '2025-03-14',
            },
          },
        ]);
    });
    it('is dated by the department’s business date, from the escalation on', () => {
      const decide = (decidedOn: string) =>
        cmd('RecordAdministrativeDecision', { decision: 'objection_rejected', note: 'x', decidedOn }, adminDept, '2025-05-01');
      spec
        .given([raised, escalated])
        .when(decide('2025-03-20'))
        .then([
          {
            type: 'AdministrativeDecisionRecorded',
            data: { objectionId: 'ob-1', decidedBy: 'ad-1', decision: 'objection_rejected', note: 'x', decidedOn: '2025-03-20' },
          },
        ]);
      spec.given([raised, escalated]).when(decide('2025-03-10')).thenThrows('DatedBeforeEscalation', 'rule');
    });
    itRefuses(spec, [
      [
        'refuses a sales manager',
        [raised, escalated],
        cmd('RecordAdministrativeDecision', { decision: 'objection_rejected', note: 'x' }, manager),
        'NotAllowedToDecideDispute',
        'forbidden',
      ],
      [
        'refuses before escalation',
        [raised],
        cmd('RecordAdministrativeDecision', { decision: 'objection_rejected', note: 'x' }, adminDept),
        'TerritoryDisputeNotEscalated',
        'conflict',
      ],
      [
        'refuses a second decision',
        [
          raised,
          escalated,
          {
            type: 'AdministrativeDecisionRecorded',
            data: { objectionId: 'ob-1', decidedBy: 'ad-1', decision: 'objection_rejected', note: 'x', decidedOn: '2025-03-12' },
          },
        ],
        cmd('RecordAdministrativeDecision', { decision: 'objection_rejected', note: 'x' }, adminDept),
        'AdministrativeDecisionAlreadyRecorded',
        'conflict',
      ],
    ]);
  });

  describe('WithdrawTerritoryObjection', () => {
    it('lets the salesperson withdraw while open or escalated', () => {
      const withdrawn: TerritoryObjectionEvent = {
        type: 'TerritoryObjectionWithdrawn',
        data: { objectionId: 'ob-1', withdrawnOn: '2025-03-01' },
      };
      spec
        .given([raised])
        .when(cmd('WithdrawTerritoryObjection', {}, ada))
        .then([withdrawn]);
      spec
        .given([raised, escalated])
        .when(cmd('WithdrawTerritoryObjection', {}, ada, '2025-03-12'))
        .then([{ ...withdrawn, data: { ...withdrawn.data, withdrawnOn: '2025-03-12' } }]);
    });
    it('is dated by the salesperson’s business date, never before the step it follows nor in the future', () => {
      spec
        .given([raised])
        .when(cmd('WithdrawTerritoryObjection', { withdrawnOn: '2025-03-05' }, ada, '2025-05-01'))
        .then([{ type: 'TerritoryObjectionWithdrawn', data: { objectionId: 'ob-1', withdrawnOn: '2025-03-05' } }]);
      spec
        .given([raised])
        .when(cmd('WithdrawTerritoryObjection', { withdrawnOn: '2025-02-28' }, ada, '2025-05-01'))
        .thenThrows('DatedBeforeRaised', 'rule');
      spec
        .given([raised, escalated])
        .when(cmd('WithdrawTerritoryObjection', { withdrawnOn: '2025-03-10' }, ada, '2025-05-01'))
        .thenThrows('DatedBeforeEscalation', 'rule');
      spec
        .given([raised])
        .when(cmd('WithdrawTerritoryObjection', { withdrawnOn: '2025-05-02' }, ada, '2025-05-01'))
        .thenThrows('InvalidObjection', 'rule');
    });
    it('refuses someone else, and a second withdrawal', () => {
      spec
        .given([raised])
        .when(cmd('WithdrawTerritoryObjection', {}, manager))
        .thenThrows('NotOwnObjection', 'forbidden');
      spec
        .given([raised, { type: 'TerritoryObjectionWithdrawn', data: { objectionId: 'ob-1', withdrawnOn: '2025-03-02' } }])
        .when(cmd('WithdrawTerritoryObjection', {}, ada))
        .thenThrows('TerritoryObjectionAlreadyWithdrawn', 'conflict');
    });
  });
});
