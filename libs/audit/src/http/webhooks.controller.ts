import { Body, Controller, Get, Param, Post } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiOperation, ApiProperty, ApiTags } from '@nestjs/swagger';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsString, Matches, MaxLength, MinLength } from 'class-validator';
import { assertId, Ctx, newEntityId, ReadModels, RequestContext, Roles, CommandEndpoint, ApiRefusals } from '@salesline/core';
import { webhookCheckpoint } from '../application/webhook-dispatcher';
import { WebhookSecrets } from '../application/webhook-secrets';
import { ExecuteWebhookCommand } from '../application/webhook-commands';
import { WebhookDoc, webhooksProjection } from '../read-models/webhooks.projection';

export class RegisterWebhookBody {
  @ApiProperty({ example: 'https://erp.example.com/salesline/events', description: 'http(s) URL that receives one POST per event' })
  @IsString()
  @MaxLength(2000)
  url: string;

  @ApiProperty({ example: ['OrderPlaced', 'GoodsDelivered'], description: "Event types to deliver, or ['*'] for all (see /asyncapi.json)" })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(500)
  @Matches(/^(\*|[A-Za-z][A-Za-z0-9_.-]{0,100})$/, { each: true, message: 'each event type must be a type name or *' })
  eventTypes: string[];

  @ApiProperty({ example: 'a-long-random-shared-secret', description: 'Shared secret for the HMAC-SHA256 signature (16-200 characters)' })
  @IsString()
  @MinLength(16)
  @MaxLength(200)
  secret: string;
}

const view = (doc: WebhookDoc, delivered: number) => ({
  id: doc.id,
  url: doc.url,
  eventTypes: doc.eventTypes,
  status: doc.status,
  registeredBy: doc.registeredBy,
  registeredOn: doc.registeredOn,
  /** The last position delivered (the outbox checkpoint). */
  deliveredUpTo: delivered,
  deadLetter: doc.deadLetter,
  parkings: doc.parkings,
});

/**
 * Webhooks for downstream systems (admin): each matching event is POSTed, signed with
 * HMAC-SHA256 (`X-Salesline-Signature: sha256=…` over `<X-Salesline-Timestamp>.<body>`) and with
 * the event id as `Idempotency-Key`, in log order, retried with exponential backoff; after
 * WEBHOOK_MAX_ATTEMPTS failures on one event the webhook is parked on it until replayed.
 */
@ApiTags('webhooks')
@ApiBearerAuth()
@Controller('api/webhooks')
export class WebhooksController {
  constructor(
    private readonly commandBus: CommandBus,
    private readonly readModels: ReadModels,
    private readonly secrets: WebhookSecrets,
  ) {}

  @Post()
  @CommandEndpoint(201, { summary: 'Register a webhook (WebhookRegistered)' }, { description: '{ id, position }' })
  @Roles('admin')
  @ApiRefusals({ unprocessable: 'InvalidWebhookUrl, InvalidEventTypes, IdempotencyKeyReused' })
  async register(@Body() body: RegisterWebhookBody, @Ctx() ctx: RequestContext) {
    const id = newEntityId('webhook', ctx);
    const { position } = await this.commandBus.execute(
      new ExecuteWebhookCommand(
        {
          kind: 'webhook',
          id,
          command: {
            type: 'RegisterWebhook',
            data: { webhookId: id, url: body.url, eventTypes: body.eventTypes, encryptedSecret: this.secrets.encrypt(body.secret) },
          },
        },
        ctx,
      ),
    );
    return { id, position };
  }

  @Get()
  @Roles('admin')
  @ApiOperation({ summary: 'The registered webhooks, their status and how far delivery got' })
  async list() {
    const docs = await this.readModels.find(webhooksProjection, {}, { sort: { registeredOn: 1 }, limit: 1000 });
    return { items: await Promise.all(docs.map(async (d) => view(d, await this.readModels.checkpoint(webhookCheckpoint(d.id))))) };
  }

  @Get(':id')
  @Roles('admin')
  @ApiOperation({ summary: 'One webhook: its URL, event types and delivery state (checkpoint, failures, parked)' })
  @ApiRefusals({ notFound: 'WebhookNotFound' })
  async get(@Param('id') id: string) {
    const doc = await this.readModels.getOrThrow<WebhookDoc>(webhooksProjection, assertId(id), undefined, 'WebhookNotFound', 'Webhook');
    return view(doc, await this.readModels.checkpoint(webhookCheckpoint(id)));
  }

  @Get(':id/dead-letters')
  @Roles('admin')
  @ApiOperation({ summary: 'The event a parked webhook stopped on (with attempts and the last error), and every earlier parking' })
  @ApiRefusals({ notFound: 'WebhookNotFound' })
  async deadLetters(@Param('id') id: string) {
    const doc = await this.readModels.getOrThrow<WebhookDoc>(webhooksProjection, assertId(id), undefined, 'WebhookNotFound', 'Webhook');
    return { status: doc.status, items: doc.deadLetter ? [doc.deadLetter] : [], history: doc.parkings };
  }

  @Post(':id/replay')
  @CommandEndpoint(
    200,
    { summary: 'Resume a parked webhook: its dead letter is delivered again, then everything after it (WebhookReplayed)' },
    { description: '{ id, position }' },
  )
  @Roles('admin')
  @ApiRefusals({ notFound: 'WebhookNotFound', conflict: 'WebhookNotParked' })
  async replay(@Param('id') id: string, @Ctx() ctx: RequestContext) {
    const { position } = await this.commandBus.execute(
      new ExecuteWebhookCommand({ kind: 'webhook', id: assertId(id), command: { type: 'ReplayWebhook', data: {} } }, ctx),
    );
    return { id, position };
  }
}
