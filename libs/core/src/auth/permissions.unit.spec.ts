import { BadRequestException, ExecutionContext, ForbiddenException } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { Role } from '@salesline/shared-kernel';
import type { AppConfig } from '../config/config';
import type { ReadYourWrites } from '../http/read-your-writes';
import type { ReadStore } from '../read-store/read-store.port';
import { MAX_NAMED_IN_SCOPE, OwnedObject, PermissionGuard, PermissionPolicy, PermissionTable } from './permissions';

/**
 * The guard's scope rules for units a request names (`scope.units`), objects within reach only when every
 * owner is (`every`), objects owned by a unit (`units`) and a process over people narrowed like a list.
 * The organization: mia leads team north-a (in region north) and its salesperson anna; olaf leads south.
 */
const organization = {
  led: { mia: ['anna'], olaf: ['ben'] } as Record<string, string[]>,
  units: { mia: ['team:north-a', 'region:north'], olaf: ['team:south-a', 'region:south'] } as Record<string, string[]>,
  known: ['team:north-a', 'region:north', 'team:south-a', 'region:south'],
};
const policy = (operations: PermissionTable): PermissionPolicy => ({
  operations,
  leadsProjections: [],
  leads: async (_, managerId, salespersonId) => (organization.led[managerId] ?? []).includes(salespersonId),
  outsidePool: async (_, managerId) => ['anna', 'ben'].filter((id) => !(organization.led[managerId] ?? []).includes(id)),
  outsideRegions: async (_, managerId) =>
    ['north', 'south'].filter((id) => !(organization.units[managerId] ?? []).includes(`region:${id}`)),
  leadsUnit: async (_, managerId, level, id) => {
    if (level === 'salesperson') return (organization.led[managerId] ?? []).includes(id);
    if (!organization.known.includes(`${level}:${id}`)) return null;
    return (organization.units[managerId] ?? []).includes(`${level}:${id}`);
  },
});
const documents: Record<string, Record<string, Record<string, unknown>>> = {
  meetings: { 'm-mine': { attendees: ['anna'] }, 'm-both': { attendees: ['anna', 'ben'] } },
  index: { 'return:r-anna': { expenseId: 'x-anna' }, 'return:r-nobody': { expenseId: 'x-unknown' } },
  expenses: { 'x-anna': { employeeId: 'anna', regionId: 'north' }, 'x-north': { employeeId: null, regionId: 'north' } },
};
const readStore = { get: async (collection: string, id: string) => documents[collection]?.[id] ?? null } as unknown as ReadStore;
const meeting: OwnedObject = {
  from: 'param:id',
  projection: 'meetings',
  collection: 'meetings',
  owners: (doc) => doc.attendees as string[],
  every: true,
};
const expense: OwnedObject = {
  from: 'param:id',
  projection: 'expenses',
  collection: 'expenses',
  owners: (doc) => (typeof doc.employeeId === 'string' ? [doc.employeeId] : []),
  units: (doc) => (doc.employeeId ? [] : [{ level: 'region', id: doc.regionId }]),
};
const table: PermissionTable = {
  Ops_assign: { roles: ['sales_manager', 'finance'], scope: { units: (b) => [{ level: b.nodeKind, id: b.nodeId }] } },
  Ops_changeRegionManager: { roles: ['sales_manager'], scope: { units: (_, p) => [{ level: 'region', id: p.id }] } },
  Ops_cancelMeeting: { roles: ['sales_manager'], scope: { objects: [meeting] } },
  Ops_reverseExpense: { roles: ['sales_manager'], scope: { objects: [expense] } },
  Ops_run: { roles: ['sales_manager', 'admin_department'], scope: { list: { field: 'employeeId' } } },
  Ops_listExpenses: {
    roles: ['sales_manager', 'finance'],
    scope: { list: { param: 'employeeId', field: 'ownerId', regions: { param: 'regionId' } } },
  },
  Ops_schedule: { roles: ['sales_manager'], scope: { bodyOwners: (b) => (Array.isArray(b.attendees) ? b.attendees : []) } },
  Ops_acceptReturn: {
    roles: ['sales_manager'],
    scope: {
      objects: [
        {
          ...expense,
          via: { projection: 'index', collection: 'index', key: (id) => `return:${id}`, parent: (doc) => doc.expenseId },
        },
      ],
    },
  },
};

const guardOf = (operations: PermissionTable) =>
  new PermissionGuard(
    { getAllAndOverride: () => undefined } as unknown as Reflector,
    readStore,
    { catchUp: async () => undefined } as unknown as ReadYourWrites,
    { salesManagerScope: 'team' } as AppConfig,
    policy(operations),
  );
type Call = { as: [string, Role]; body?: Record<string, unknown>; params?: Record<string, string>; query?: Record<string, string> };
const call = async (operation: string, { as: [userId, role], body = {}, params = {}, query = {} }: Call, guard = guardOf(table)) => {
  const request: Record<string, unknown> = { actor: { userId, roles: [role] }, body, params, query };
  const context = {
    getType: () => 'http',
    getHandler: () => ({ name: operation }),
    getClass: () => ({ name: 'Ops' }),
    switchToHttp: () => ({ getRequest: () => request }),
  } as unknown as ExecutionContext;
  try {
    await guard.canActivate(context);
    return { answer: 'allowed', filter: request.saleslineScopeFilter };
  } catch (error) {
    if (error instanceof ForbiddenException) return { answer: (error.getResponse() as { code: string }).code };
    throw error;
  }
};
const answer = async (operation: string, c: Call) => (await call(operation, c)).answer;
const mia: Call['as'] = ['mia', 'sales_manager'];
const anna: Call['as'] = ['anna', 'salesperson'];

describe('PermissionGuard: units, meetings, unit-owned objects and processes over people', () => {
  it('lets a sales manager name the salespeople, teams and regions they lead, never the company', async () => {
    expect(await answer('assign', { as: mia, body: { nodeKind: 'team', nodeId: 'north-a' } })).toBe('allowed');
    expect(await answer('assign', { as: mia, body: { nodeKind: 'salesperson', nodeId: 'anna' } })).toBe('allowed');
    expect(await answer('assign', { as: mia, body: { nodeKind: 'team', nodeId: 'south-a' } })).toBe('OutOfScope');
    expect(await answer('assign', { as: mia, body: { nodeKind: 'salesperson', nodeId: 'ben' } })).toBe('OutOfScope');
    expect(await answer('assign', { as: mia, body: { nodeKind: 'company', nodeId: 'company' } })).toBe('OutOfScope');
    expect(await answer('changeRegionManager', { as: mia, params: { id: 'south' } })).toBe('OutOfScope');
    expect(await answer('changeRegionManager', { as: mia, params: { id: 'north' } })).toBe('allowed');
  });

  it('leaves a unit the organization does not know, or one named malformed, to the handler and validation', async () => {
    expect(await answer('assign', { as: mia, body: { nodeKind: 'team', nodeId: 'nowhere' } })).toBe('allowed');
    expect(await answer('assign', { as: mia, body: { nodeKind: ['team'], nodeId: { $ne: 1 } } })).toBe('allowed');
  });

  it('lets whoever reaches the company name any unit', async () => {
    expect(await answer('assign', { as: ['fiona', 'finance'], body: { nodeKind: 'company', nodeId: 'company' } })).toBe('allowed');
    expect(await answer('assign', { as: ['fiona', 'finance'], body: { nodeKind: 'team', nodeId: 'south-a' } })).toBe('allowed');
  });

  it('gives a sales manager a meeting only when they lead every attendee', async () => {
    expect(await answer('cancelMeeting', { as: mia, params: { id: 'm-mine' } })).toBe('allowed');
    expect(await answer('cancelMeeting', { as: mia, params: { id: 'm-both' } })).toBe('OutOfScope');
    expect(await answer('cancelMeeting', { as: mia, params: { id: 'm-unknown' } })).toBe('allowed'); // the handler answers 404
  });

  it("gives a sales manager a region's own expense when they lead the region, a salesperson's when they lead them", async () => {
    expect(await answer('reverseExpense', { as: mia, params: { id: 'x-anna' } })).toBe('allowed');
    expect(await answer('reverseExpense', { as: mia, params: { id: 'x-north' } })).toBe('allowed');
    expect(await answer('reverseExpense', { as: ['olaf', 'sales_manager'], params: { id: 'x-north' } })).toBe('OutOfScope');
    expect(await answer('reverseExpense', { as: ['olaf', 'sales_manager'], params: { id: 'x-anna' } })).toBe('OutOfScope');
  });

  it("narrows a region-owned list to the people and the regions' own a sales manager leads, and refuses naming others", async () => {
    // mia leads anna and region north: the list leaves out ben's and region south's own.
    expect(await call('listExpenses', { as: mia })).toEqual({
      answer: 'allowed',
      filter: { ownerId: { $nin: ['ben', 'region:south'], $ne: null } },
    });
    expect(await call('listExpenses', { as: mia, query: { regionId: 'north' } })).toEqual({
      answer: 'allowed',
      filter: { ownerId: { $nin: ['ben', 'region:south'], $ne: null } },
    });
    expect(await answer('listExpenses', { as: mia, query: { regionId: 'south' } })).toBe('OutOfScope');
    expect(await answer('listExpenses', { as: mia, query: { employeeId: 'ben' } })).toBe('OutOfScope');
    expect(await call('listExpenses', { as: mia, query: { employeeId: 'anna' } })).toEqual({ answer: 'allowed', filter: {} });
    expect(await call('listExpenses', { as: ['fay', 'finance'], query: { regionId: 'south' } })).toEqual({
      answer: 'allowed',
      filter: undefined,
    });
  });

  it('narrows a process over people to those a sales manager leads, and leaves it whole for HR', async () => {
    expect(await call('run', { as: mia })).toEqual({ answer: 'allowed', filter: { employeeId: { $nin: ['ben'], $ne: null } } });
    expect(await call('run', { as: ['hr', 'admin_department'] })).toEqual({ answer: 'allowed', filter: undefined });
  });

  it('lets a salesperson name only their own salesperson node', async () => {
    // An operation a salesperson may call, naming units as target assignments do.
    const guard = guardOf({ Ops_assign: { roles: ['salesperson'], scope: table.Ops_assign.scope } });
    const ask = async (body: Record<string, unknown>) => (await call('assign', { as: anna, body }, guard)).answer;
    expect(await ask({ nodeKind: 'salesperson', nodeId: 'anna' })).toBe('allowed');
    expect(await ask({ nodeKind: 'salesperson', nodeId: 'ben' })).toBe('OutOfScope');
    expect(await ask({ nodeKind: 'team', nodeId: 'north-a' })).toBe('OutOfScope');
  });

  it("finds a child document's parent through its index entry, and leaves a child nobody indexed to the handler", async () => {
    expect(await answer('acceptReturn', { as: mia, params: { id: 'r-anna' } })).toBe('allowed');
    expect(await answer('acceptReturn', { as: ['olaf', 'sales_manager'], params: { id: 'r-anna' } })).toBe('OutOfScope');
    expect(await answer('acceptReturn', { as: ['olaf', 'sales_manager'], params: { id: 'r-nobody' } })).toBe('allowed');
    expect(await answer('acceptReturn', { as: ['olaf', 'sales_manager'], params: { id: 'r-unknown' } })).toBe('allowed');
  });

  it(`refuses a request naming more than ${MAX_NAMED_IN_SCOPE} distinct people before looking any up, and looks each name up once`, async () => {
    const lookups: string[] = [];
    const counting = policy(table);
    const guard = new PermissionGuard(
      { getAllAndOverride: () => undefined } as unknown as Reflector,
      readStore,
      { catchUp: async () => undefined } as unknown as ReadYourWrites,
      { salesManagerScope: 'team' } as AppConfig,
      {
        ...counting,
        leads: async (store, managerId, salespersonId) => {
          lookups.push(salespersonId);
          return counting.leads(store, managerId, salespersonId);
        },
      },
    );
    const schedule = async (attendees: string[]) => {
      try {
        return (await call('schedule', { as: mia, body: { title: 'x', attendees } }, guard)).answer;
      } catch (error) {
        if (!(error instanceof BadRequestException)) throw error;
        return error.getResponse();
      }
    };
    const crowd = Array.from({ length: MAX_NAMED_IN_SCOPE + 1 }, (_, i) => `sp-${i}`);
    expect(await schedule(crowd)).toMatchObject({
      code: 'ValidationFailed',
      errors: [{ field: 'attendees', reason: expect.stringContaining(`more than ${MAX_NAMED_IN_SCOPE} distinct`) }],
    });
    expect(lookups).toEqual([]);
    // The same salesperson named many times is one name, looked up once.
    expect(await schedule(Array.from({ length: 1000 }, () => 'anna'))).toBe('allowed');
    expect(lookups).toEqual(['anna']);
  });
});
