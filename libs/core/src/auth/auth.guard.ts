import { CanActivate, ExecutionContext, ForbiddenException, Injectable, SetMetadata, UnauthorizedException } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { Role } from '@salesline/shared-kernel';
import type { Request } from 'express';
import { TokenService } from './token.service';

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

  canActivate(context: ExecutionContext): boolean {
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(PUBLIC_KEY, targets)) return true;
    const request = context.switchToHttp().getRequest<Request & { actor?: unknown }>();
    const header = request.headers.authorization;
    const match = typeof header === 'string' ? /^Bearer\s+(\S+)$/i.exec(header) : null;
    if (!match) throw new UnauthorizedException({ code: 'Unauthenticated', message: 'A bearer token is required' });
    const actor = this.tokens.verify(match[1]);
    if (!actor) throw new UnauthorizedException({ code: 'InvalidToken', message: 'The bearer token is not valid' });
    request.actor = actor;
    const roles = this.reflector.getAllAndOverride<Role[] | undefined>(ROLES_KEY, targets);
    if (roles && !actor.roles.includes('admin') && !roles.some((r) => actor.roles.includes(r))) {
      throw new ForbiddenException({ code: 'RoleRequired', message: `This action needs one of the roles: ${roles.join(', ')}` });
    }
    return true;
  }
}
