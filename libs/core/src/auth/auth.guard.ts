import { CanActivate, ExecutionContext, ForbiddenException, Injectable, SetMetadata, UnauthorizedException } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { Actor, Role } from '@salesline/shared-kernel';
import type { Request } from 'express';
import { TokenService } from './token.service';

export type AuthenticatedRequest = Request & { actor?: Actor; credential?: { tokenId: string | null; kind: string } };

const ROLES_KEY = 'salesline:roles';
const PUBLIC_KEY = 'salesline:public';

/** Route roles: the caller needs one of them (admin always passes). */
export const Roles = (...roles: Role[]) => SetMetadata(ROLES_KEY, roles);
/** Routes outside /api (health, docs) need no token. */
export const Public = () => SetMetadata(PUBLIC_KEY, true);

@Injectable()
export class AuthGuard implements CanActivate {
  constructor(
    private readonly tokens: TokenService,
    private readonly reflector: Reflector,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(PUBLIC_KEY, targets)) return true;
    const request = context.switchToHttp().getRequest<AuthenticatedRequest>();
    const header = request.headers.authorization;
    const match = typeof header === 'string' && header.length <= 4096 ? /^Bearer\s+(\S+)$/i.exec(header) : null;
    if (!match) throw new UnauthorizedException({ code: 'Unauthenticated', message: 'A bearer token is required' });
    const authentication = await this.tokens.authenticate(match[1]);
    if (!authentication.ok) throw new UnauthorizedException({ code: authentication.code, message: authentication.message });
    const actor = authentication.actor;
    request.actor = actor;
    request.credential = { tokenId: authentication.tokenId, kind: authentication.kind };
    const roles = this.reflector.getAllAndOverride<Role[] | undefined>(ROLES_KEY, targets);
    if (roles && !actor.roles.includes('admin') && !roles.some((r) => actor.roles.includes(r))) {
      throw new ForbiddenException({ code: 'RoleRequired', message: `This action needs one of the roles: ${roles.join(', ')}` });
    }
    return true;
  }
}
