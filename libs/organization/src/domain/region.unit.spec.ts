import { actor, command, deciderSpec, itRefuses } from '@salesline/shared-kernel/testing';
import { RegionCommand, RegionEvent, regionDecider } from './region';

const spec = deciderSpec(regionDecider);
const head = actor('u-head', 'sales_manager');
const cmd = <C extends RegionCommand>(type: C['type'], data: C['data'], by = head) =>
  command<C>(type, data, { actor: by, today: '2025-01-10' });

const established: RegionEvent = {
  type: 'RegionEstablished',
  data: { regionId: 'north', name: 'North', managerId: 'm-1', establishedOn: '2025-01-01' },
};
const branch: RegionEvent = {
  type: 'BranchOpened',
  data: { regionId: 'north', branchId: 'oslo', name: 'Oslo office', city: 'Oslo', openedOn: '2025-01-05' },
};
const agent: RegionEvent = {
  type: 'AgentAppointed',
  data: { regionId: 'north', agentId: 'ag-1', name: 'Nordic Reps AS', commissionBp: 750, appointedOn: '2025-01-06' },
};

describe('Region decider', () => {
  it('establishes a region', () => {
    spec
      .given([])
      .when(cmd('EstablishRegion', { regionId: 'north', name: ' North ', managerId: 'm-1', establishedOn: '2025-01-01' }))
      .then([established]);
  });

  itRefuses(spec, [
    [
      'refuses a second establishment',
      [established],
      cmd('EstablishRegion', { regionId: 'north', name: 'North', managerId: null, establishedOn: '2025-01-01' }),
      'RegionAlreadyEstablished',
      'conflict',
    ],
    [
      'refuses an invalid id',
      [],
      cmd('EstablishRegion', { regionId: 'no rth', name: 'North', managerId: null, establishedOn: '2025-01-01' }),
      'InvalidRegion',
      'rule',
    ],
    [
      'refuses a salesperson changing the structure',
      [],
      cmd(
        'EstablishRegion',
        { regionId: 'north', name: 'North', managerId: null, establishedOn: '2025-01-01' },
        actor('s-1', 'salesperson'),
      ),
      'NotAllowedToManageOrganization',
      'forbidden',
    ],
  ]);

  it('changes the manager, and ignores a change to the same manager', () => {
    spec
      .given([established])
      .when(cmd('ChangeRegionManager', { managerId: 'm-2', changedOn: '2025-02-01' }))
      .then([{ type: 'RegionManagerChanged', data: { regionId: 'north', managerId: 'm-2', changedOn: '2025-02-01' } }]);
    spec
      .given([established])
      .when(cmd('ChangeRegionManager', { managerId: 'm-1', changedOn: '2025-02-01' }))
      .then([]);
  });

  it('opens a branch', () => {
    spec
      .given([established])
      .when(cmd('OpenBranch', { branchId: 'oslo', name: 'Oslo office', city: 'Oslo', openedOn: '2025-01-05' }))
      .then([branch]);
  });

  itRefuses(spec, [
    [
      'refuses a branch on an unknown region',
      [],
      cmd('OpenBranch', { branchId: 'oslo', name: 'Oslo office', city: 'Oslo', openedOn: '2025-01-05' }),
      'RegionNotFound',
      'not_found',
    ],
    [
      'refuses a duplicate branch',
      [established, branch],
      cmd('OpenBranch', { branchId: 'oslo', name: 'Oslo', city: 'Oslo', openedOn: '2025-01-07' }),
      'BranchAlreadyOpened',
      'conflict',
    ],
    [
      'refuses a branch opened before the region existed',
      [established],
      cmd('OpenBranch', { branchId: 'oslo', name: 'Oslo', city: 'Oslo', openedOn: '2024-12-31' }),
      'DatePrecedesRegion',
      'rule',
    ],
  ]);

  it('closes a branch; refuses closing it twice, an unknown one, or before it opened', () => {
    const closed: RegionEvent = { type: 'BranchClosed', data: { regionId: 'north', branchId: 'oslo', closedOn: '2025-06-30' } };
    spec
      .given([established, branch])
      .when(cmd('CloseBranch', { branchId: 'oslo', closedOn: '2025-06-30' }))
      .then([closed]);
    spec
      .given([established, branch, closed])
      .when(cmd('CloseBranch', { branchId: 'oslo', closedOn: '2025-07-01' }))
      .thenThrows('BranchAlreadyClosed', 'conflict');
    spec
      .given([established])
      .when(cmd('CloseBranch', { branchId: 'oslo', closedOn: '2025-07-01' }))
      .thenThrows('BranchNotFound', 'not_found');
    spec
      .given([established, branch])
      .when(cmd('CloseBranch', { branchId: 'oslo', closedOn: '2025-01-04' }))
      .thenThrows('ClosingPrecedesOpening', 'rule');
  });

  it('appoints an agent with a commission in basis points', () => {
    spec
      .given([established])
      .when(cmd('AppointAgent', { agentId: 'ag-1', name: 'Nordic Reps AS', commissionBp: 750, appointedOn: '2025-01-06' }))
      .then([agent]);
  });

  itRefuses(spec, [
    [
      'refuses a commission above 100 %',
      [established],
      cmd('AppointAgent', { agentId: 'ag-1', name: 'X', commissionBp: 10_001, appointedOn: '2025-01-06' }),
      'InvalidCommission',
      'rule',
    ],
    [
      'refuses appointing a current agent twice',
      [established, agent],
      cmd('AppointAgent', { agentId: 'ag-1', name: 'X', commissionBp: 100, appointedOn: '2025-02-06' }),
      'AgentAlreadyAppointed',
      'conflict',
    ],
  ]);

  it('ends an agent appointment; refuses ending an unknown one', () => {
    spec
      .given([established, agent])
      .when(cmd('EndAgentAppointment', { agentId: 'ag-1', endedOn: '2025-03-31', reason: 'contract ended' }))
      .then([
        { type: 'AgentAppointmentEnded', data: { regionId: 'north', agentId: 'ag-1', endedOn: '2025-03-31', reason: 'contract ended' } },
      ]);
    spec
      .given([established])
      .when(cmd('EndAgentAppointment', { agentId: 'ag-1', endedOn: '2025-03-31', reason: 'x' }))
      .thenThrows('AgentNotFound', 'not_found');
  });

  it('closes a region, closing its branches and ending its agents the same day', () => {
    spec
      .given([established, branch, agent])
      .when(cmd('CloseRegion', { closedOn: '2025-12-31', activeTeams: 0 }))
      .then([
        { type: 'BranchClosed', data: { regionId: 'north', branchId: 'oslo', closedOn: '2025-12-31' } },
        { type: 'AgentAppointmentEnded', data: { regionId: 'north', agentId: 'ag-1', endedOn: '2025-12-31', reason: 'region_closed' } },
        { type: 'RegionClosed', data: { regionId: 'north', closedOn: '2025-12-31' } },
      ]);
  });

  itRefuses(spec, [
    [
      'refuses closing a region that still has teams',
      [established],
      cmd('CloseRegion', { closedOn: '2025-12-31', activeTeams: 2 }),
      'RegionHasActiveTeams',
      'conflict',
    ],
    [
      'refuses closing a region before its latest dated fact',
      [established, agent],
      cmd('CloseRegion', { closedOn: '2025-01-05', activeTeams: 0 }),
      'ClosingPrecedesOpening',
      'rule',
    ],
    [
      'refuses changes to a closed region',
      [established, { type: 'RegionClosed', data: { regionId: 'north', closedOn: '2025-12-31' } }],
      cmd('OpenBranch', { branchId: 'b', name: 'B', city: 'C', openedOn: '2026-01-01' }),
      'RegionAlreadyClosed',
      'conflict',
    ],
  ]);
});
