import { actor, command, deciderSpec, itRefuses } from '@salesline/shared-kernel/testing';
import { assignmentOn, territoriesOn } from './assignment-history';
import { EmployeeCommand, EmployeeEvent, TeamFact, employeeDecider } from './employee';

const spec = deciderSpec(employeeDecider);
const manager = actor('m-1', 'sales_manager');
const cmd = <C extends EmployeeCommand>(type: C['type'], data: C['data'], by = manager) =>
  command<C>(type, data, { actor: by, today: '2025-06-01' });

const teamA: TeamFact = { teamId: 't-a', regionId: 'north', managerId: 'm-1', status: 'active' };
const teamB: TeamFact = { teamId: 't-b', regionId: 'north', managerId: 'm-2', status: 'active' };
const teamS: TeamFact = { teamId: 't-s', regionId: 'south', managerId: 'm-3', status: 'active' };

const hired: EmployeeEvent = {
  type: 'SalespersonHired',
  data: { employeeId: 'e-1', name: 'Ada', teamId: 't-a', regionId: 'north', hiredOn: '2025-01-06', managerId: 'm-1' },
};
const oslo: EmployeeEvent = { type: 'TerritoryAssigned', data: { employeeId: 'e-1', territory: 'oslo', assignedOn: '2025-01-06' } };
const toSouth: EmployeeEvent = {
  type: 'SalespersonTransferred',
  data: {
    employeeId: 'e-1',
    fromTeamId: 't-a',
    fromRegionId: 'north',
    toTeamId: 't-s',
    toRegionId: 'south',
    toManagerId: 'm-3',
    effectiveOn: '2025-07-01',
  },
};
const left: EmployeeEvent = { type: 'SalespersonLeft', data: { employeeId: 'e-1', leftOn: '2025-10-31', reason: 'resigned' } };

describe('Employee decider', () => {
  describe('HireSalesperson', () => {
    it('hires into an active team, taking region and manager from the team', () => {
      spec
        .given([])
        .when(cmd('HireSalesperson', { employeeId: 'e-1', name: 'Ada', teamId: 't-a', hiredOn: '2025-01-06', team: teamA }))
        .then([hired]);
    });
    itRefuses(spec, [
      [
        'refuses hiring someone already employed',
        [hired],
        cmd('HireSalesperson', { employeeId: 'e-1', name: 'Ada', teamId: 't-a', hiredOn: '2025-01-06', team: teamA }),
        'EmployeeAlreadyHired',
        'conflict',
      ],
      [
        'refuses an unknown team',
        [],
        cmd('HireSalesperson', { employeeId: 'e-1', name: 'Ada', teamId: 't-x', hiredOn: '2025-01-06', team: null }),
        'TeamNotFound',
        'not_found',
      ],
      [
        'refuses a disbanded team',
        [],
        cmd('HireSalesperson', {
          employeeId: 'e-1',
          name: 'Ada',
          teamId: 't-a',
          hiredOn: '2025-01-06',
          team: { ...teamA!, status: 'disbanded' },
        }),
        'TeamAlreadyDisbanded',
        'conflict',
      ],
      [
        'refuses a salesperson hiring',
        [],
        cmd(
          'HireSalesperson',
          { employeeId: 'e-1', name: 'Ada', teamId: 't-a', hiredOn: '2025-01-06', team: teamA },
          actor('e-9', 'salesperson'),
        ),
        'NotAllowedToManageStaff',
        'forbidden',
      ],
      [
        'refuses a missing name',
        [],
        cmd('HireSalesperson', { employeeId: 'e-1', name: ' ', teamId: 't-a', hiredOn: '2025-01-06', team: teamA }),
        'InvalidEmployee',
        'rule',
      ],
    ]);
    it('re-hires someone who left, keeping the old history', () => {
      const rehired: EmployeeEvent = { type: 'SalespersonHired', data: { ...hired.data, hiredOn: '2026-02-01' } } as EmployeeEvent;
      spec
        .given([hired, left])
        .when(cmd('HireSalesperson', { employeeId: 'e-1', name: 'Ada', teamId: 't-a', hiredOn: '2026-02-01', team: teamA }))
        .then([rehired]);
      const state = spec.given([hired, left, rehired]).state();
      expect(state.status === 'active' && state.history).toEqual([
        { teamId: 't-a', regionId: 'north', managerId: 'm-1', from: '2025-01-06', until: '2025-11-01' },
        { teamId: 't-a', regionId: 'north', managerId: 'm-1', from: '2026-02-01', until: null },
      ]);
    });
    it('refuses a re-hire dated on or before the last working day', () => {
      spec
        .given([hired, left])
        .when(cmd('HireSalesperson', { employeeId: 'e-1', name: 'Ada', teamId: 't-a', hiredOn: '2025-10-31', team: teamA }))
        .thenThrows('RehirePredatesLeaving', 'rule');
    });
  });

  describe('territories', () => {
    it('assigns a territory', () => {
      spec
        .given([hired])
        .when(cmd('AssignTerritory', { territory: 'oslo', assignedOn: '2025-01-06' }))
        .then([oslo]);
    });
    itRefuses(spec, [
      [
        'refuses assigning it twice',
        [hired, oslo],
        cmd('AssignTerritory', { territory: 'oslo', assignedOn: '2025-02-01' }),
        'TerritoryAlreadyAssigned',
        'conflict',
      ],
      [
        'refuses a date before the current assignment',
        [hired],
        cmd('AssignTerritory', { territory: 'oslo', assignedOn: '2025-01-01' }),
        'DatePrecedesAssignment',
        'rule',
      ],
      [
        'refuses an unknown employee',
        [],
        cmd('AssignTerritory', { territory: 'oslo', assignedOn: '2025-01-06' }),
        'EmployeeNotFound',
        'not_found',
      ],
    ]);
    it('unassigns a territory', () => {
      spec
        .given([hired, oslo])
        .when(cmd('UnassignTerritory', { territory: 'oslo', unassignedOn: '2025-03-01' }))
        .then([{ type: 'TerritoryUnassigned', data: { employeeId: 'e-1', territory: 'oslo', unassignedOn: '2025-03-01' } }]);
    });
    itRefuses(spec, [
      [
        'refuses unassigning a territory not held',
        [hired],
        cmd('UnassignTerritory', { territory: 'oslo', unassignedOn: '2025-03-01' }),
        'TerritoryNotAssigned',
        'conflict',
      ],
      [
        'refuses unassigning on or before the assignment day',
        [hired, oslo],
        cmd('UnassignTerritory', { territory: 'oslo', unassignedOn: '2025-01-06' }),
        'DatePrecedesAssignment',
        'rule',
      ],
    ]);
  });

  describe('TransferSalesperson', () => {
    it('transfers within a region, keeping territories', () => {
      spec
        .given([hired, oslo])
        .when(cmd('TransferSalesperson', { toTeamId: 't-b', effectiveOn: '2025-04-01', team: teamB }))
        .then([
          {
            type: 'SalespersonTransferred',
            data: {
              employeeId: 'e-1',
              fromTeamId: 't-a',
              fromRegionId: 'north',
              toTeamId: 't-b',
              toRegionId: 'north',
              toManagerId: 'm-2',
              effectiveOn: '2025-04-01',
            },
          },
        ]);
    });
    it('transfers to another region, releasing the old region’s territories the same day', () => {
      spec
        .given([hired, oslo])
        .when(cmd('TransferSalesperson', { toTeamId: 't-s', effectiveOn: '2025-07-01', team: teamS }))
        .then([{ type: 'TerritoryUnassigned', data: { employeeId: 'e-1', territory: 'oslo', unassignedOn: '2025-07-01' } }, toSouth]);
    });
    it('refuses a transfer to the same team', () => {
      spec
        .given([hired])
        .when(cmd('TransferSalesperson', { toTeamId: 't-a', effectiveOn: '2025-04-01', team: teamA }))
        .thenThrows('TransferToSameTeam', 'rule');
    });
    it('refuses a transfer dated on or before the current assignment started', () => {
      spec
        .given([hired])
        .when(cmd('TransferSalesperson', { toTeamId: 't-b', effectiveOn: '2025-01-06', team: teamB }))
        .thenThrows('TransferPredatesAssignment', 'rule');
      spec
        .given([hired, toSouth])
        .when(cmd('TransferSalesperson', { toTeamId: 't-b', effectiveOn: '2025-06-30', team: teamB }))
        .thenThrows('TransferPredatesAssignment', 'rule');
    });
    it('refuses a transfer to a missing or disbanded team', () => {
      spec
        .given([hired])
        .when(cmd('TransferSalesperson', { toTeamId: 't-b', effectiveOn: '2025-04-01', team: null }))
        .thenThrows('TeamNotFound', 'not_found');
      spec
        .given([hired])
        .when(cmd('TransferSalesperson', { toTeamId: 't-b', effectiveOn: '2025-04-01', team: { ...teamB!, status: 'disbanded' } }))
        .thenThrows('TeamAlreadyDisbanded', 'conflict');
    });
  });

  describe('RecordSalespersonLeft', () => {
    it('records the last working day', () => {
      spec
        .given([hired, oslo])
        .when(cmd('RecordSalespersonLeft', { leftOn: '2025-10-31', reason: 'resigned' }))
        .then([left]);
    });
    it('refuses a leaving dated before the current assignment', () => {
      spec
        .given([hired, toSouth])
        .when(cmd('RecordSalespersonLeft', { leftOn: '2025-06-30', reason: 'resigned' }))
        .thenThrows('LeavingPredatesAssignment', 'rule');
    });
    it('refuses every action on someone who left', () => {
      spec
        .given([hired, left])
        .when(cmd('RecordSalespersonLeft', { leftOn: '2025-11-30', reason: 'again' }))
        .thenThrows('EmployeeHasLeft', 'conflict');
      spec
        .given([hired, left])
        .when(cmd('AssignTerritory', { territory: 'bergen', assignedOn: '2025-11-01' }))
        .thenThrows('EmployeeHasLeft', 'conflict');
      spec
        .given([hired, left])
        .when(cmd('TransferSalesperson', { toTeamId: 't-b', effectiveOn: '2025-11-01', team: teamB }))
        .thenThrows('EmployeeHasLeft', 'conflict');
    });
  });

  describe('history: the organization as it stood on a date', () => {
    const state = spec
      .given([
        hired,
        oslo,
        { type: 'TerritoryUnassigned', data: { employeeId: 'e-1', territory: 'oslo', unassignedOn: '2025-07-01' } },
        toSouth,
        left,
      ])
      .state();
    const history = state.status === 'left' ? state.history : [];
    const territories = state.status === 'left' ? state.territories : [];

    it.each([
      ['2025-01-05', null],
      ['2025-01-06', { teamId: 't-a', regionId: 'north' }],
      ['2025-06-30', { teamId: 't-a', regionId: 'north' }],
      ['2025-07-01', { teamId: 't-s', regionId: 'south' }],
      ['2025-10-31', { teamId: 't-s', regionId: 'south' }],
      ['2025-11-01', null],
    ])('on %s the salesperson belonged to %j', (date, expected) => expect(assignmentOn(history, date)).toEqual(expected));

    it('keeps territory history', () => {
      expect(territoriesOn(territories, '2025-06-30')).toEqual(['oslo']);
      expect(territoriesOn(territories, '2025-07-01')).toEqual([]);
    });
  });
});
