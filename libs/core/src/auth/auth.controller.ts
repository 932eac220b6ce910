import { Body, Controller, HttpCode, Inject, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiForbiddenResponse, ApiOperation, ApiProperty, ApiTags } from '@nestjs/swagger';
import { ArrayMinSize, ArrayUnique, IsArray, IsIn, Matches } from 'class-validator';
import { ID_PATTERN, Role, ROLES } from '@salesline/shared-kernel';
import { Roles } from './auth.guard';
import { TokenService } from './token.service';
import { commandContextOf, Ctx } from '../http/request-context.decorator';
import { RequestContext } from '../commands/request-context';
import { EVENT_STORE, EventStore } from '../event-store/event-store.port';
import { executeCommand } from '../commands/execute-command';
import { userAccessDecider } from './user-access.decider';

class IssueTokenBody {
  @ApiProperty({ example: 'alice' })
  @Matches(ID_PATTERN, { message: 'userId must be 1-64 letters, digits, _ or -' })
  userId: string;

  @ApiProperty({ enum: ROLES, isArray: true, example: ['salesperson'] })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayUnique()
  @IsIn(ROLES as unknown as string[], { each: true })
  roles: Role[];
}

@ApiTags('auth')
@ApiBearerAuth()
@Controller('api/auth')
export class AuthController {
  constructor(
    private readonly tokens: TokenService,
    @Inject(EVENT_STORE) private readonly events: EventStore,
  ) {}

  @Post('tokens')
  @HttpCode(201)
  @Roles('admin')
  @ApiOperation({ summary: 'Issue a bearer token for a user with roles (admin only)' })
  @ApiCreatedResponse({ description: '{ token, tokenId, userId, roles, issuedAt, position }' })
  @ApiForbiddenResponse({ description: 'RoleRequired' })
  async issue(@Body() body: IssueTokenBody, @Ctx() ctx: RequestContext) {
    const issued = this.tokens.issue(body.userId, body.roles, new Date(ctx.now));
    // The grant is a fact auditors can replay; the token itself is never stored.
    const { position } = await executeCommand(this.events, {
      streamName: `user-${body.userId}`,
      decider: userAccessDecider,
      command: { type: 'IssueAccessToken', data: { userId: body.userId, roles: body.roles, tokenId: issued.tokenId, issuedAt: issued.issuedAt }, context: commandContextOf(ctx) },
      request: ctx,
    });
    return { ...issued, position };
  }
}
