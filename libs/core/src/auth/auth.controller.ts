import { CREDENTIAL_FIELD, ID_FIELD, POSITION_FIELD } from '../http/openapi-bounds';
import { ApiIdempotencyKey } from '../http/api-idempotency-key';
import { Body, Controller, Get, HttpCode, Inject, Param, Post, Req, UnauthorizedException } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiProperty, ApiTags } from '@nestjs/swagger';
import { ArrayMaxSize, ArrayMinSize, ArrayUnique, IsArray, IsIn, IsString, Matches, MaxLength, NotContains } from 'class-validator';
import { ID_PATTERN, notFound, Role, ROLES } from '@salesline/shared-kernel';
import { AuthenticatedRequest, Public, Roles } from './auth.guard';
import { sha256, SignedCredential, TokenService } from './token.service';
import { Ctx } from '../http/request-context.decorator';
import { isReservedUserId } from '../commands/system-actors';
import { ExecuteAccessCommand } from './access-commands';
import { RequestContext } from '../commands/request-context';
import { EVENT_STORE, EventStore } from '../event-store/event-store.port';
import { AccessRegistry, ADMIN_ACCESS_STREAM } from './access-registry';
import { metadataOf } from '../commands/execute-command';
import { validationFailed } from '../http/errors';

/** User ids the platform keeps for itself: the bootstrap admin and system actors. */
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

class GrantBody {
  @ApiProperty({ example: 'alice', pattern: ID_PATTERN.source, maxLength: 64, description: 'Not `admin` nor `system…` (reserved)' })
  @Matches(ID_PATTERN, { message: 'userId must be 1-64 letters, digits, _ or -' })
  userId: string;

  @ApiProperty({ enum: ROLES, isArray: true, example: ['salesperson'], minItems: 1, maxItems: ROLES.length })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(ROLES.length)
  @ArrayUnique()
  @IsIn(ROLES as unknown as string[], { each: true })
  roles: Role[];
}

class WhoAmIView {
  @ApiProperty({ example: 'alice', ...ID_FIELD }) userId: string;
  @ApiProperty({ enum: ROLES, isArray: true }) roles: Role[];
}

class RefreshBody {
  @ApiProperty({ description: 'The refresh token from the last issue or refresh', maxLength: 2048 })
  @IsString()
  @MaxLength(2048)
  @NotContains(' ')
  refreshToken: string;
}

class CredentialPair {
  @ApiProperty({ description: 'Access token: a JWT (HS256) with sub, jti, iat, exp, iss=salesline, typ=access', ...CREDENTIAL_FIELD })
  token: string;
  @ApiProperty({ format: 'uuid' }) tokenId: string;
  @ApiProperty({ format: 'date-time' }) expiresAt: string;
  @ApiProperty({ description: 'Refresh token: a JWT with typ=refresh, for POST /api/auth/refresh only (single use)', ...CREDENTIAL_FIELD })
  refreshToken: string;
  @ApiProperty({ format: 'uuid' }) refreshTokenId: string;
  @ApiProperty({ format: 'date-time' }) refreshExpiresAt: string;
  @ApiProperty(ID_FIELD) userId: string;
  @ApiProperty({ enum: ROLES, isArray: true }) roles: Role[];
  @ApiProperty({ format: 'date-time' }) issuedAt: string;
  @ApiProperty(POSITION_FIELD) position: number;
}

class ApiKeyIssuedView {
  @ApiProperty({
    description: 'The API key `slk_<keyId>.<secret>`: shown only now; stored as a SHA-256 hash',
    pattern: '^slk_[0-9a-f-]{36}\\.[A-Za-z0-9_-]{43}$',
    maxLength: 84,
  })
  apiKey: string;
  @ApiProperty({ format: 'uuid' }) keyId: string;
  @ApiProperty(ID_FIELD) userId: string;
  @ApiProperty({ enum: ROLES, isArray: true }) roles: Role[];
  @ApiProperty(POSITION_FIELD) position: number;
}

class RevokedView {
  @ApiProperty({ format: 'uuid', description: 'The token or key revoked' }) revoked: string;
  @ApiProperty(POSITION_FIELD) position: number;
}

class AdminTokenView {
  @ApiProperty({
    description: 'The new bootstrap admin token; the previous one stops working at once on every replica',
    ...CREDENTIAL_FIELD,
  })
  adminToken: string;
  @ApiProperty(POSITION_FIELD) position: number;
}

/**
 * Credentials: issued, refreshed and revoked as events on `user-<id>` (the admin token's
 * rotations on `system-admin-access`), so every replica sees the same picture on its next request.
 */
@ApiTags('auth')
@ApiBearerAuth()
@Controller('api/auth')
export class AuthController {
  constructor(
    private readonly tokens: TokenService,
    private readonly registry: AccessRegistry,
    @Inject(EVENT_STORE) private readonly events: EventStore,
    private readonly commandBus: CommandBus,
  ) {}

  private refuseReserved(userId: string): void {
    if (isReservedUserId(userId)) throw validationFailed([{ field: 'userId', reason: 'is reserved (admin, system…)' }]);
  }

  private pairView(access: SignedCredential, refresh: SignedCredential, position: number): CredentialPair {
    return {
      token: access.token,
      tokenId: access.grant.tokenId,
      expiresAt: access.grant.expiresAt!,
      refreshToken: refresh.token,
      refreshTokenId: refresh.grant.tokenId,
      refreshExpiresAt: refresh.grant.expiresAt!,
      userId: access.grant.userId,
      roles: access.grant.roles,
      issuedAt: access.grant.issuedAt,
      position,
    };
  }

  @Post('tokens')
  @HttpCode(201)
  @Roles('admin')
  @ApiOperation({ summary: "Issue an access token and a refresh token for a person; the user's roles become these (AccessTokenIssued)" })
  @ApiOkResponse({ type: CredentialPair })
  async issue(@Body() body: GrantBody, @Ctx() ctx: RequestContext): Promise<CredentialPair> {
    this.refuseReserved(body.userId);
    const now = new Date(ctx.now);
    const access = await this.tokens.signJwt(body.userId, body.roles, 'access', now);
    const refresh = await this.tokens.signJwt(body.userId, body.roles, 'refresh', now);
    // The grant is a fact auditors can replay; the tokens themselves are never stored.
    const { position } = await this.commandBus.execute(
      new ExecuteAccessCommand(
        { kind: 'user', id: body.userId, command: { type: 'IssueCredentials', data: { grants: [access.grant, refresh.grant] } } },
        { ...ctx, idempotencyKey: undefined },
      ),
    );
    return this.pairView(access, refresh, position);
  }

  @Post('refresh')
  @Public()
  @HttpCode(200)
  @ApiOperation({ summary: 'Trade a refresh token (single use) for a new access and refresh token, with the current roles' })
  @ApiOkResponse({ type: CredentialPair })
  async refresh(@Body() body: RefreshBody, @Req() request: AuthenticatedRequest): Promise<CredentialPair> {
    const verified = await this.tokens.verifyJwt(body.refreshToken, 'refresh');
    if (!verified.ok) throw new UnauthorizedException({ code: verified.code, message: verified.message });
    await this.registry.refresh();
    const credential = this.registry.activeCredential(verified.tokenId);
    if (!credential || credential.kind !== 'refresh' || credential.userId !== verified.userId) {
      throw new UnauthorizedException({ code: 'TokenRevoked', message: 'The refresh token was used or revoked already' });
    }
    const actor = { userId: verified.userId, roles: this.registry.rolesOf(verified.userId) };
    request.actor = actor;
    const now = new Date();
    const access = await this.tokens.signJwt(actor.userId, [...actor.roles], 'access', now);
    const refresh = await this.tokens.signJwt(actor.userId, [...actor.roles], 'refresh', now);
    const ctx: RequestContext = {
      actor,
      correlationId: (request as unknown as { correlationId?: string }).correlationId ?? verified.tokenId,
      causationId: null,
      now: now.toISOString(),
      today: now.toISOString().slice(0, 10),
    };
    const { position } = await this.commandBus.execute(
      new ExecuteAccessCommand(
        {
          kind: 'user',
          id: actor.userId,
          command: {
            type: 'RefreshCredentials',
            data: { refreshTokenId: verified.tokenId, grants: [access.grant, refresh.grant], refreshedAt: ctx.now },
          },
        },
        ctx,
      ),
    );
    return this.pairView(access, refresh, position);
  }

  @Post('api-keys')
  @HttpCode(201)
  @Roles('admin')
  @ApiOperation({
    summary: "Issue a long-lived API key for an integration; the user's roles become these (AccessTokenIssued, kind api_key)",
  })
  @ApiOkResponse({ type: ApiKeyIssuedView })
  async issueApiKey(@Body() body: GrantBody, @Ctx() ctx: RequestContext): Promise<ApiKeyIssuedView> {
    this.refuseReserved(body.userId);
    const key = this.tokens.newApiKey(body.userId, body.roles, new Date(ctx.now));
    const { position } = await this.commandBus.execute(
      new ExecuteAccessCommand(
        { kind: 'user', id: body.userId, command: { type: 'IssueCredentials', data: { grants: [key.grant] } } },
        { ...ctx, idempotencyKey: undefined },
      ),
    );
    return { apiKey: key.token, keyId: key.grant.tokenId, userId: body.userId, roles: body.roles, position };
  }

  @Get('me')
  @ApiOperation({ summary: "Who the bearer is, with the user's current roles (what a client shows; every request is still checked)" })
  @ApiOkResponse({ type: WhoAmIView })
  me(@Ctx() ctx: RequestContext): WhoAmIView {
    return { userId: ctx.actor.userId, roles: [...ctx.actor.roles] };
  }

  @Post('tokens/:id/revoke')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Revoke one access token, refresh token or API key at once, on every replica (admin, or its own user) (AccessTokenRevoked)',
  })
  @ApiOkResponse({ type: RevokedView })
  @ApiIdempotencyKey()
  async revoke(@Param('id') id: string, @Ctx() ctx: RequestContext): Promise<RevokedView> {
    if (!UUID.test(id)) throw validationFailed([{ field: 'id', reason: 'must be a token id (UUID)' }]);
    await this.registry.refresh();
    const credential = this.registry.credential(id);
    // Someone else's token is reported as absent: its existence is not theirs to learn.
    if (!credential || (credential.userId !== ctx.actor.userId && !ctx.actor.roles.includes('admin'))) {
      throw notFound('TokenNotFound', `Token ${id} does not exist`);
    }
    const { position } = await this.commandBus.execute(
      new ExecuteAccessCommand(
        {
          kind: 'user',
          id: credential.userId,
          command: { type: 'RevokeAccessToken', data: { userId: credential.userId, tokenId: id, revokedAt: ctx.now } },
        },
        { ...ctx, idempotencyKey: undefined },
      ),
    );
    return { revoked: id, position };
  }

  @Post('users/:userId/revoke-all')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Revoke every credential of a user issued so far, at once, on every replica (admin, or the user) (AllAccessTokensRevoked)',
  })
  @ApiOkResponse({ type: RevokedView })
  async revokeAll(@Param('userId') userId: string, @Ctx() ctx: RequestContext): Promise<RevokedView> {
    if (!ID_PATTERN.test(userId)) throw validationFailed([{ field: 'userId', reason: 'must be 1-64 letters, digits, _ or -' }]);
    if (userId !== ctx.actor.userId && !ctx.actor.roles.includes('admin')) throw notFound('UserNotFound', `User ${userId} does not exist`);
    await this.registry.refresh();
    const { position } = await this.commandBus.execute(
      new ExecuteAccessCommand(
        { kind: 'user', id: userId, command: { type: 'RevokeAllAccessTokens', data: { userId, revokedAt: ctx.now } } },
        { ...ctx, idempotencyKey: undefined },
      ),
    );
    return { revoked: userId, position };
  }

  @Post('admin-token/rotate')
  @HttpCode(200)
  @Roles('admin')
  @ApiOperation({
    summary: 'Replace the bootstrap admin token without a restart; the old one stops working on every replica (AdminTokenRotated)',
  })
  @ApiOkResponse({ type: AdminTokenView })
  async rotateAdminToken(@Ctx() ctx: RequestContext): Promise<AdminTokenView> {
    if (ctx.actor.userId !== 'admin') throw notFound('NotBootstrapAdmin', 'Only the bootstrap admin token can be rotated');
    const adminToken = TokenService.newAdminToken();
    const [last] = await this.events.readStream(ADMIN_ACCESS_STREAM, { direction: 'backwards', maxCount: 1 });
    const { position } = await this.events.append(
      ADMIN_ACCESS_STREAM,
      [
        {
          type: 'AdminTokenRotated',
          data: { tokenHash: sha256(adminToken), rotatedAt: ctx.now },
          metadata: metadataOf(ctx),
        },
      ],
      last ? last.revision : 'no_stream',
    );
    this.tokens.storeRotatedAdminToken(adminToken);
    return { adminToken, position };
  }
}
