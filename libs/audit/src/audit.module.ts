import { Module } from '@nestjs/common';
import { AuditTimelines } from './application/audit-timelines';
import { AuditTimelinesController } from './http/audit-timelines.controller';
import { FeedController } from './http/feed.controller';
import { IntegrityController } from './http/integrity.controller';
import { WebhooksController } from './http/webhooks.controller';
import { AsyncApiController } from './http/asyncapi.controller';
import { WebhookDispatcher } from './application/webhook-dispatcher';
import { WebhookSecrets } from './application/webhook-secrets';
import { WebhookCommandHandler } from './application/webhook-commands';

/** What auditors and downstream systems read: the log's integrity, timelines, the feed and webhooks. */
@Module({
  controllers: [IntegrityController, FeedController, AuditTimelinesController, WebhooksController, AsyncApiController],
  providers: [AuditTimelines, WebhookSecrets, WebhookDispatcher, WebhookCommandHandler],
  exports: [WebhookDispatcher],
})
export class AuditModule {}
