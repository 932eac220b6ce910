import { actor, command, deciderSpec, itRefuses } from '@salesline/shared-kernel/testing';
import { RegionFact, TeamCommand, TeamEvent, teamDecider } from './team';

const spec = deciderSpec(teamDecider);
const head = actor('u-head', 'admin_department');
const cmd = <C extends TeamCommand>(type: C['type'], data: C['data'], by = head) =>
  command<C>(type, data, { actor: by, today: '2025-01-10' });
const north: RegionFact = { regionId: 'north', status: 'active', establishedOn: '2025-01-01' };
const form = (region: RegionFact, formedOn = '2025-01-02') =>
  cmd('FormTeam', { teamId: 't-1', regionId: 'north', name: 'North A', managerId: 'm-1', formedOn, region });
const formed: TeamEvent = {
  type: 'TeamFormed',
  data: { teamId: 't-1', regionId: 'north', name: 'North A', managerId: 'm-1', formedOn: '2025-01-02' },
};

describe('Team decider', () => {
  it('forms a team in an active region', () => {
    spec.given([]).when(form(north)).then([formed]);
  });
  itRefuses(spec, [
    ['refuses a second formation', [formed], form(north), 'TeamAlreadyFormed', 'conflict'],
    ['refuses an unknown region', [], form(null), 'RegionNotFound', 'not_found'],
    ['refuses a closed region', [], form({ ...north, status: 'closed' }), 'RegionAlreadyClosed', 'conflict'],
    ['refuses a team older than its region', [], form(north, '2024-12-01'), 'DatePrecedesRegion', 'rule'],
    [
      'refuses a salesperson',
      [],
      cmd(
        'FormTeam',
        { teamId: 't-1', regionId: 'north', name: 'A', managerId: 'm-1', formedOn: '2025-01-02', region: north },
        actor('s', 'salesperson'),
      ),
      'NotAllowedToManageOrganization',
      'forbidden',
    ],
  ]);

  it('changes the manager', () => {
    spec
      .given([formed])
      .when(cmd('ChangeTeamManager', { managerId: 'm-2', changedOn: '2025-03-01' }))
      .then([{ type: 'TeamManagerChanged', data: { teamId: 't-1', managerId: 'm-2', changedOn: '2025-03-01' } }]);
  });
  itRefuses(spec, [
    [
      'refuses a manager change dated before the team',
      [formed],
      cmd('ChangeTeamManager', { managerId: 'm-2', changedOn: '2025-01-01' }),
      'DatePrecedesTeam',
      'rule',
    ],
    [
      'refuses a change on an unknown team',
      [],
      cmd('ChangeTeamManager', { managerId: 'm-2', changedOn: '2025-03-01' }),
      'TeamNotFound',
      'not_found',
    ],
  ]);

  it('disbands an empty team, then refuses further changes', () => {
    const disbanded: TeamEvent = { type: 'TeamDisbanded', data: { teamId: 't-1', disbandedOn: '2025-09-30' } };
    spec
      .given([formed])
      .when(cmd('DisbandTeam', { disbandedOn: '2025-09-30', activeMembers: 0 }))
      .then([disbanded]);
    spec
      .given([formed, disbanded])
      .when(cmd('ChangeTeamManager', { managerId: 'm-3', changedOn: '2025-10-01' }))
      .thenThrows('TeamAlreadyDisbanded', 'conflict');
  });
  it('refuses disbanding a team with members', () => {
    spec
      .given([formed])
      .when(cmd('DisbandTeam', { disbandedOn: '2025-09-30', activeMembers: 3 }))
      .thenThrows('TeamHasMembers', 'conflict');
  });
});
