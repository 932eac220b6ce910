import { ExecutionContext, HttpException, Injectable } from '@nestjs/common';
import { ThrottlerGuard, ThrottlerLimitDetail, ThrottlerRequest } from '@nestjs/throttler';
import type { HttpAnswer, HttpRequest } from './platform';
import type { AuthenticatedRequest } from '../auth/auth.guard';

export const IP_THROTTLER = 'ip';
export const TOKEN_THROTTLER = 'token';

/** 429 with Retry-After (seconds), in the error shape every answer has. */
abstract class NamedThrottlerGuard extends ThrottlerGuard {
  protected abstract readonly throttlerName: string;

  protected override async handleRequest(requestProps: ThrottlerRequest): Promise<boolean> {
    if (requestProps.throttler.name !== this.throttlerName) return true;
    return super.handleRequest(requestProps);
  }

  protected override async throwThrottlingException(context: ExecutionContext, detail: ThrottlerLimitDetail): Promise<void> {
    const response = context.switchToHttp().getResponse<HttpAnswer>();
    const retryAfter = Math.max(1, Math.ceil(detail.timeToBlockExpire));
    response.header('Retry-After', String(retryAfter));
    throw new HttpException(
      { code: 'RateLimited', message: `Too many requests; retry in ${retryAfter} s`, retryAfterSeconds: retryAfter },
      429,
    );
  }
}

/** Per client address, before authentication: bad tokens cost the sender, not the server. */
@Injectable()
export class IpRateLimitGuard extends NamedThrottlerGuard {
  protected readonly throttlerName = IP_THROTTLER;
  protected override async getTracker(req: Record<string, unknown>): Promise<string> {
    const request = req as unknown as HttpRequest;
    return request.ip ?? request.socket?.remoteAddress ?? 'unknown';
  }
}

/** Per authenticated user (every token of theirs together), after authentication. */
@Injectable()
export class TokenRateLimitGuard extends NamedThrottlerGuard {
  protected readonly throttlerName = TOKEN_THROTTLER;
  protected override async shouldSkip(context: ExecutionContext): Promise<boolean> {
    return !context.switchToHttp().getRequest<AuthenticatedRequest>().actor;
  }
  protected override async getTracker(req: Record<string, unknown>): Promise<string> {
    return (req as unknown as AuthenticatedRequest).actor?.userId ?? 'anonymous';
  }
}
