import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import { EarlyRefusal } from './early-refusal';
import { pathOf, routeOf, type HttpRequest } from './platform';

/** Nest's key for a handler's parameter decorators; `@Body()` entries start with its param type 3. */
const ROUTE_ARGS_METADATA = '__routeArguments__';
const BODY_PARAM = '3:';

export const takesBody = (context: ExecutionContext): boolean => {
  const args = Reflect.getMetadata(ROUTE_ARGS_METADATA, context.getClass(), context.getHandler().name) as
    Record<string, unknown> | undefined;
  return Object.keys(args ?? {}).some((key) => key.startsWith(BODY_PARAM));
};

const isEmptyBody = (body: unknown): boolean =>
  body === undefined || body === null || (typeof body === 'object' && !Array.isArray(body) && Object.keys(body).length === 0);

/**
 * A route that takes no body refuses one (400 BodyNotAllowed), so a client that believes it sent
 * parameters is told they were ignored instead of the action running without them. An empty
 * object `{}` is tolerated: many clients send it by default.
 */
@Injectable()
export class BodyAllowedGuard implements CanActivate {
  canActivate(context: ExecutionContext): boolean {
    if (context.getType() !== 'http') return true;
    const request = context.switchToHttp().getRequest<HttpRequest>();
    if (isEmptyBody(request.body) || takesBody(context)) return true;
    throw new EarlyRefusal(400, 'BodyNotAllowed', `${request.method} ${routeOf(request) ?? pathOf(request)} takes no request body`);
  }
}
