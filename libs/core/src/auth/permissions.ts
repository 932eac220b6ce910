import { CanActivate, createParamDecorator, ExecutionContext, ForbiddenException, Inject, Injectable, Optional } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { Actor, Role } from '@salesline/shared-kernel';
import { DocumentFilter, READ_STORE, ReadStore } from '../read-store/read-store.port';
import { ReadYourWrites } from '../http/read-your-writes';
import { validationFailed } from '../http/errors';
import { AuthenticatedRequest } from './auth.guard';
import { APP_CONFIG } from '../nest/tokens';
import type { AppConfig } from '../config/config';

/** An object a request addresses (by path parameter or body field), and who owns it. */
export type OwnedObject = Readonly<{
  /** Where its id is: `param:<name>` (path) or `body:<field>`. */
  from: `param:${string}` | `body:${string}`;
  projection: string;
  collection: string;
  /** The salespeople it belongs to (customer owner, quote or order salesperson and credit). */
  owners: (doc: Record<string, unknown>) => string[];
  /** Within reach only when every owner is (a meeting: all its attendees); by default one owner suffices. */
  every?: true;
  /** Units it belongs to when no salesperson owns it (a region's own expense): a manager reaches it when they lead one. */
  units?: (doc: Record<string, unknown>) => NamedUnit[];
  /**
   * The request names a child document (a return, a price override, an invoice) held by this object (its order):
   * the index read model the handler uses to find the child's stream gives the object's id. A child the index
   * does not know passes (the handler answers 404).
   */
  via?: Readonly<{
    projection: string;
    collection: string;
    key: (id: string) => string;
    parent: (doc: Record<string, unknown>) => unknown;
  }>;
}>;

/** An organizational unit a request names: `level` salesperson, team, region or company, and its id (unchecked input). */
export type NamedUnit = Readonly<{ level: unknown; id: unknown }>;

/**
 * Which objects a caller may touch, for callers whose reach is limited: a salesperson their own;
 * a sales manager those of the salespeople they lead (team or region). Everything else reaches everything.
 */
export type ScopeRule = Readonly<{
  objects?: readonly OwnedObject[];
  /** Salespeople named in the body who must be in the caller's scope (e.g. ownerId, salespersonId, salesCredit). */
  bodyOwners?: (body: Record<string, unknown>) => unknown[];
  /**
   * A list narrowed to the caller's reach: `field` is the documents' owner field (the guard hands the
   * handler a filter on it, `@ScopeFilter()`); `param`, the list's owner filter, is pinned to a salesperson
   * and refused when it names someone out of reach. A process over people (the appraisal run) declares the
   * same: the filter narrows whom it covers, so what it runs and what it answers.
   */
  list?: Readonly<{
    param?: string;
    field: string;
    /**
     * The owner field names a region (`regionOwnerId`) on a document no salesperson owns (a region's own expense): a
     * manager's list also leaves out those of regions they do not lead; `param`, the list's region filter, is refused
     * when it names a region out of reach.
     */
    regions?: Readonly<{ param?: string }>;
  }>;
  /** A path parameter naming the salesperson the answer is about (a scorecard): a salesperson their own, a manager whom they lead. */
  subject?: `param:${string}`;
  /** An organizational unit addressed by path parameters (a report's level and id): a salesperson their own, a manager what they lead. */
  unit?: Readonly<{ levelParam: string; idParam: string }>;
  /**
   * Organizational units the request names in its body or path (a target's node, a new team's region, the
   * region whose manager changes): a salesperson may name only their own salesperson node; a sales manager the
   * salespeople, teams and regions they lead, never the company. A unit the organization does not know passes
   * (the handler answers 404).
   */
  units?: (body: Record<string, unknown>, params: Record<string, string | undefined>) => NamedUnit[];
  /** The answer spans the whole company (every team's figures): only callers whose reach is everything. */
  whole?: true;
}>;

export type Permission = Readonly<{ roles: readonly Role[]; scope?: ScopeRule; note?: string }>;

/** Every operation (by OpenAPI operationId, `Controller_method`) and who may call it. */
export type PermissionTable = Readonly<Record<string, Permission>>;

/** A level of the organization a report addresses. */
export type UnitLevel = 'salesperson' | 'team' | 'region' | 'company';

/**
 * The deployment's whole policy: the table, and how to tell whether a sales manager leads a
 * salesperson or a unit (the organization context knows; the core does not).
 */
export type PermissionPolicy = Readonly<{
  operations: PermissionTable;
  /** Read models `leads`, `outsidePool` and `leadsUnit` read, caught up before a refusal. */
  leadsProjections: readonly string[];
  leads: (readStore: ReadStore, managerId: string, salespersonId: string) => Promise<boolean>;
  /** The salespeople the organization knows whom the manager does not lead (a list leaves their documents out). */
  outsidePool: (readStore: ReadStore, managerId: string) => Promise<string[]>;
  /** The regions the organization knows whom the manager does not lead (a region-owned list leaves their documents out). */
  outsideRegions: (readStore: ReadStore, managerId: string) => Promise<string[]>;
  /** Whether the manager leads the unit; null when the organization does not know it (the handler answers 404). */
  leadsUnit: (readStore: ReadStore, managerId: string, level: string, id: string) => Promise<boolean | null>;
}>;

export const PERMISSIONS = Symbol('PERMISSIONS');

/** How far a caller reaches for scoped operations: the broadest of their roles wins. */
export type Reach = 'all' | 'team' | 'own';

/**
 * A salesperson reaches their own; a sales manager their team's and region's, reading as well as
 * writing (`SALES_MANAGER_SCOPE=company` widens a manager to the company); every other role everything.
 */
export const reachOf = (actor: Actor, permission: Permission, managerScope: 'team' | 'company' = 'team'): Reach => {
  const held = actor.roles.filter((r) => r === 'admin' || permission.roles.includes(r));
  if (held.some((r) => r !== 'salesperson' && r !== 'sales_manager')) return 'all';
  if (held.includes('sales_manager')) return managerScope === 'team' ? 'team' : 'all';
  return 'own';
};

/** The owner value of a document no salesperson owns but a region does (`scope.list.regions`): `region:<regionId>`. */
export const regionOwnerId = (regionId: string): string => `region:${regionId}`;

/** The request property where the guard leaves a scoped list's filter. */
const SCOPE_FILTER = 'saleslineScopeFilter';

/**
 * The filter the PermissionGuard computed for a scoped list (`scope.list`): spread it last into the
 * list's filter. Empty when the caller reaches everything.
 */
export const ScopeFilter = createParamDecorator(
  (_: unknown, context: ExecutionContext): DocumentFilter =>
    (context.switchToHttp().getRequest<Record<string, unknown>>()[SCOPE_FILTER] as DocumentFilter | undefined) ?? {},
);

export const operationIdOf = (context: ExecutionContext): string => `${context.getClass().name}_${context.getHandler().name}`;

const ROLES_KEY = 'salesline:roles';
const PUBLIC_KEY = 'salesline:public';

/** The most distinct people and units one request may name for the guard to check (each is a lookup). */
export const MAX_NAMED_IN_SCOPE = 200;

/** The body's longest list: where a request names too many people or units (employeeIds, attendees, changes, salesCredit). */
const crowdedField = (body: Record<string, unknown>): string =>
  Object.entries(body)
    .filter((entry): entry is [string, unknown[]] => Array.isArray(entry[1]))
    .sort((a, b) => b[1].length - a[1].length)[0]?.[0] ?? 'body';

export const outOfScope = (message: string) => new ForbiddenException({ code: 'OutOfScope', message });

/**
 * The one place that decides who may call what: the operation's declared roles (from the central
 * PermissionTable), then its scope, loading the addressed objects' owners from the read models.
 * An operation missing from the table falls back to its @Roles; with neither it is refused.
 */
@Injectable()
export class PermissionGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    @Inject(READ_STORE) private readonly readStore: ReadStore,
    private readonly readYourWrites: ReadYourWrites,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Optional() @Inject(PERMISSIONS) private readonly policy: PermissionPolicy | null,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    if (context.getType() !== 'http') return true;
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(PUBLIC_KEY, targets)) return true;
    const request = context.switchToHttp().getRequest<AuthenticatedRequest>();
    const actor = request.actor;
    if (!actor) return true; // the authentication guard has refused already
    const declared = this.policy?.operations[operationIdOf(context)];
    const legacyRoles = this.reflector.getAllAndOverride<Role[] | undefined>(ROLES_KEY, targets);
    const permission: Permission | undefined = declared ?? (legacyRoles ? { roles: legacyRoles } : undefined);
    if (!permission) throw new ForbiddenException({ code: 'NoPermissionDeclared', message: 'This operation has no declared permission' });
    if (!actor.roles.includes('admin') && !permission.roles.some((r) => actor.roles.includes(r))) {
      throw new ForbiddenException({
        code: 'RoleRequired',
        message: `This action needs one of the roles: ${permission.roles.join(', ') || 'admin'}`,
      });
    }
    if (permission.scope) await this.checkScope(actor, permission, request);
    return true;
  }

  private async checkScope(actor: Actor, permission: Permission, request: AuthenticatedRequest): Promise<void> {
    const scope = permission.scope!;
    const reach = reachOf(actor, permission, this.config.salesManagerScope);
    if (reach === 'all') return;
    if (scope.whole) throw outOfScope('This answer spans the whole company: read your own team or region');
    /** One salesperson: the caller themselves, or (a manager) someone they lead. */
    const reaches = async (owner: string): Promise<boolean> =>
      owner === actor.userId || (reach === 'team' && (await this.manages(actor.userId, owner)));
    const inScope = async (owners: string[]): Promise<boolean> => {
      if (owners.includes(actor.userId)) return true;
      for (const owner of owners) if (await reaches(owner)) return true;
      return false;
    };
    const objectInScope = async (object: OwnedObject, doc: Record<string, unknown>): Promise<boolean> => {
      const owners = object.owners(doc);
      if (object.every) {
        for (const owner of owners) if (!(await reaches(owner))) return false;
        return true;
      }
      if (await inScope(owners)) return true;
      for (const unit of object.units?.(doc) ?? []) if ((await this.unitReach(actor, reach, unit)) === true) return true;
      return false;
    };
    const body =
      request.body && typeof request.body === 'object' && !Array.isArray(request.body) ? (request.body as Record<string, unknown>) : {};
    const params = Object.fromEntries(Object.entries(request.params ?? {}).map(([k, v]) => [k, typeof v === 'string' ? v : undefined]));
    // Each distinct name costs a lookup, before validation has run: a request naming too many is refused unread.
    const namedOwners = [...new Set((scope.bodyOwners?.(body) ?? []).filter((o): o is string => typeof o === 'string'))];
    const namedUnits = [...new Map((scope.units?.(body, params) ?? []).map((u) => [`${String(u.level)}:${String(u.id)}`, u])).values()];
    if (namedOwners.length + namedUnits.length > MAX_NAMED_IN_SCOPE)
      throw validationFailed([
        { field: crowdedField(body), reason: `names more than ${MAX_NAMED_IN_SCOPE} distinct people or units in one request` },
      ]);
    if (scope.list) await this.narrowList(actor, reach, scope.list, request, inScope);
    if (scope.unit) {
      const unit = { level: request.params?.[scope.unit.levelParam], id: request.params?.[scope.unit.idParam] };
      if ((await this.unitReach(actor, reach, unit)) === false) throw outOfScope(this.unitRefusal(reach, unit));
    }
    for (const unit of namedUnits) {
      if ((await this.unitReach(actor, reach, unit)) === false) throw outOfScope(this.unitRefusal(reach, unit));
    }
    if (scope.subject) {
      const person = request.params?.[scope.subject.slice('param:'.length)];
      if (typeof person === 'string' && person.length > 0 && !(await inScope([person])))
        throw outOfScope(reach === 'own' ? 'A salesperson reads their own' : `${person} is not in a team or region you lead`);
    }
    if (scope.bodyOwners) {
      for (const owner of namedOwners) {
        if (!(await inScope([owner]))) throw outOfScope(`You may not act in the name of ${owner}`);
      }
    }
    for (const object of scope.objects ?? []) {
      const [where, name] = object.from.split(':') as ['param' | 'body', string];
      const named = where === 'param' ? request.params?.[name] : body[name];
      if (typeof named !== 'string' || named.length === 0 || named.length > 200) continue; // validation answers it
      const id = object.via ? await this.parentOf(object.via, named) : named;
      if (typeof id !== 'string' || id.length === 0) continue; // the handler answers 404
      // Read first; only a refusal or a miss waits for the read model to catch up (a write just acknowledged).
      let doc = await this.readStore.get<Record<string, unknown>>(object.collection, id);
      if (doc && (await objectInScope(object, doc))) continue;
      await this.readYourWrites.catchUp([object.projection]);
      doc = await this.readStore.get<Record<string, unknown>>(object.collection, id);
      if (!doc) continue; // the handler answers 404
      if (!(await objectInScope(object, doc)))
        throw outOfScope(
          object.every
            ? `This ${object.collection.replace(/_/g, ' ')} concerns people you do not lead`
            : `This ${object.collection.replace(/_/g, ' ')} is not yours`,
        );
    }
  }

  /** The id of the object holding a child document, from the child's index entry (caught up on a miss). */
  private async parentOf(via: NonNullable<OwnedObject['via']>, childId: string): Promise<unknown> {
    let entry = await this.readStore.get<Record<string, unknown>>(via.collection, via.key(childId));
    if (!entry) {
      await this.readYourWrites.catchUp([via.projection]);
      entry = await this.readStore.get<Record<string, unknown>>(via.collection, via.key(childId));
    }
    return entry ? via.parent(entry) : undefined;
  }

  /**
   * A salesperson's list is pinned to their own; a manager's names someone they lead, or leaves out
   * the documents of the salespeople the organization knows and they do not lead (and those of nobody),
   * and, for a region-owned list, those of the regions they do not lead (naming one is refused).
   */
  private async narrowList(
    actor: Actor,
    reach: Reach,
    list: NonNullable<ScopeRule['list']>,
    request: AuthenticatedRequest,
    inScope: (owners: string[]) => Promise<boolean>,
  ): Promise<void> {
    const named = list.param ? request.query?.[list.param] : undefined;
    let filter: DocumentFilter;
    if (reach === 'own') {
      if (named !== undefined && named !== actor.userId)
        throw outOfScope(`A salesperson lists only their own (${list.param}=${actor.userId})`);
      filter = { [list.field]: actor.userId };
    } else if (typeof named === 'string' && named.length > 0) {
      if (!(await inScope([named]))) throw outOfScope(`${named} is not in a team or region you lead`);
      filter = {};
    } else {
      const region = list.regions?.param ? request.query?.[list.regions.param] : undefined;
      if (reach === 'team' && typeof region === 'string' && (await this.unitReach(actor, reach, { level: 'region', id: region })) === false)
        throw outOfScope(this.unitRefusal(reach, { level: 'region', id: region }));
      await this.readYourWrites.catchUp(this.policy?.leadsProjections ?? []);
      const outside = this.policy ? await this.policy.outsidePool(this.readStore, actor.userId) : [];
      const outsideRegions = list.regions && this.policy ? await this.policy.outsideRegions(this.readStore, actor.userId) : [];
      filter = {
        [list.field]: { $nin: [...outside.filter((id) => id !== actor.userId), ...outsideRegions.map(regionOwnerId)], $ne: null },
      };
    }
    if (list.param && reach === 'own') {
      // Express computes req.query on each read: pin the caller's own filter on this request.
      Object.defineProperty(request, 'query', {
        value: { ...request.query, [list.param]: actor.userId },
        writable: true,
        configurable: true,
      });
    }
    (request as unknown as Record<string, unknown>)[SCOPE_FILTER] = filter;
  }

  /**
   * Whether the caller reaches a unit: a salesperson their own salesperson node; a manager the salespeople, teams
   * and regions they lead, never the company. null when the organization does not know it (the handler answers 404)
   * or the request names it malformed (validation answers it).
   */
  private async unitReach(actor: Actor, reach: Reach, unit: NamedUnit): Promise<boolean | null> {
    const { level, id } = unit;
    if (typeof level !== 'string' || typeof id !== 'string' || id.length === 0 || id.length > 200) return null;
    if (level === 'salesperson' && id === actor.userId) return true;
    if (reach === 'all') return true;
    if (reach === 'own' || level === 'company') return false;
    if (!this.policy) return false;
    if (await this.policy.leadsUnit(this.readStore, actor.userId, level, id)) return true;
    await this.readYourWrites.catchUp(this.policy.leadsProjections);
    return this.policy.leadsUnit(this.readStore, actor.userId, level, id);
  }

  private unitRefusal(reach: Reach, unit: NamedUnit): string {
    if (reach === 'own') return 'A salesperson reaches their own figures only';
    if (unit.level === 'company') return 'A sales manager reaches the teams and regions they lead, not the company';
    return `You do not lead ${String(unit.level)} ${String(unit.id)}`;
  }

  private async manages(managerId: string, salespersonId: string): Promise<boolean> {
    if (!this.policy) return false;
    if (await this.policy.leads(this.readStore, managerId, salespersonId)) return true;
    await this.readYourWrites.catchUp(this.policy.leadsProjections);
    return this.policy.leads(this.readStore, managerId, salespersonId);
  }
}
