import { CanActivate, ExecutionContext, ForbiddenException, Inject, Injectable, Optional } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { Actor, Role } from '@salesline/shared-kernel';
import { READ_STORE, ReadStore } from '../read-store/read-store.port';
import { ReadYourWrites } from '../http/read-your-writes';
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
}>;

/**
 * Which objects a caller may touch, for callers whose reach is limited: a salesperson their own;
 * a sales manager (on writes) their team's or region's. Everything else reaches everything.
 */
export type ScopeRule = Readonly<{
  objects?: readonly OwnedObject[];
  /** Salespeople named in the body who must be in the caller's scope (e.g. ownerId, salespersonId, salesCredit). */
  bodyOwners?: (body: Record<string, unknown>) => unknown[];
  /** A list's owner filter: forced to the caller for a salesperson, refused if it names someone else. */
  listOwnerParam?: string;
}>;

export type Permission = Readonly<{ roles: readonly Role[]; scope?: ScopeRule; note?: string }>;

/** Every operation (by OpenAPI operationId, `Controller_method`) and who may call it. */
export type PermissionTable = Readonly<Record<string, Permission>>;

/**
 * The deployment's whole policy: the table, and how to tell whether a sales manager leads a
 * salesperson (the organization context knows; the core does not).
 */
export type PermissionPolicy = Readonly<{
  operations: PermissionTable;
  /** Read models `leads` reads, caught up before it runs. */
  leadsProjections: readonly string[];
  leads: (readStore: ReadStore, managerId: string, salespersonId: string) => Promise<boolean>;
}>;

export const PERMISSIONS = Symbol('PERMISSIONS');

/** How far a caller reaches for scoped operations: the broadest of their roles wins. */
export type Reach = 'all' | 'team' | 'own';

export const reachOf = (actor: Actor, permission: Permission, write: boolean, managerScope: 'team' | 'company' = 'team'): Reach => {
  const held = actor.roles.filter((r) => r === 'admin' || permission.roles.includes(r));
  if (held.some((r) => r !== 'salesperson' && r !== 'sales_manager')) return 'all';
  if (held.includes('sales_manager')) return write && managerScope === 'team' ? 'team' : 'all';
  return 'own';
};

export const operationIdOf = (context: ExecutionContext): string => `${context.getClass().name}_${context.getHandler().name}`;

const ROLES_KEY = 'salesline:roles';
const PUBLIC_KEY = 'salesline:public';

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
    const write = request.method !== 'GET';
    const reach = reachOf(actor, permission, write, this.config.salesManagerScope);
    if (reach === 'all') return;
    const inScope = async (owners: string[]): Promise<boolean> => {
      if (owners.includes(actor.userId)) return true;
      if (reach === 'own') return false;
      for (const owner of owners) if (await this.manages(actor.userId, owner)) return true;
      return false;
    };
    const body =
      request.body && typeof request.body === 'object' && !Array.isArray(request.body) ? (request.body as Record<string, unknown>) : {};
    if (scope.listOwnerParam) {
      const named = request.query?.[scope.listOwnerParam];
      if (reach === 'own') {
        if (named !== undefined && named !== actor.userId)
          throw outOfScope(`A salesperson lists only their own (${scope.listOwnerParam}=${actor.userId})`);
        // Express computes req.query on each read: pin the caller's own filter on this request.
        Object.defineProperty(request, 'query', {
          value: { ...request.query, [scope.listOwnerParam]: actor.userId },
          writable: true,
          configurable: true,
        });
      }
    }
    if (scope.bodyOwners) {
      for (const owner of scope.bodyOwners(body)) {
        if (typeof owner === 'string' && !(await inScope([owner]))) throw outOfScope(`You may not act in the name of ${owner}`);
      }
    }
    for (const object of scope.objects ?? []) {
      const [where, name] = object.from.split(':') as ['param' | 'body', string];
      const id = where === 'param' ? request.params?.[name] : body[name];
      if (typeof id !== 'string' || id.length === 0 || id.length > 200) continue; // validation answers it
      // Read first; only a refusal or a miss waits for the read model to catch up (a write just acknowledged).
      let doc = await this.readStore.get<Record<string, unknown>>(object.collection, id);
      if (doc && (await inScope(object.owners(doc)))) continue;
      await this.readYourWrites.catchUp([object.projection]);
      doc = await this.readStore.get<Record<string, unknown>>(object.collection, id);
      if (!doc) continue; // the handler answers 404
      if (!(await inScope(object.owners(doc)))) throw outOfScope(`This ${object.collection.replace(/_/g, ' ')} is not yours`);
    }
  }

  private async manages(managerId: string, salespersonId: string): Promise<boolean> {
    if (!this.policy) return false;
    if (await this.policy.leads(this.readStore, managerId, salespersonId)) return true;
    await this.readYourWrites.catchUp(this.policy.leadsProjections);
    return this.policy.leads(this.readStore, managerId, salespersonId);
  }
}
