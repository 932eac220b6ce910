import { CanActivate, ExecutionContext, Injectable, SetMetadata, UnauthorizedException } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { Actor, Role } from '@salesline/shared-kernel';
import type { HttpRequest } from '../http/platform';
import { TokenService } from './token.service';

export type AuthenticatedRequest = HttpRequest & { actor?: Actor; credential?: { tokenId: string | null; kind: string } };

const ROLES_KEY = 'salesline:roles';
const PUBLIC_KEY = 'salesline:public';

/** Route roles, for operations not (yet) in the central permission table (see permissions.ts). */
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
    return true;
  }
}
