import { Module } from '@nestjs/common';
import { FeedController } from './http/feed.controller';
import { IntegrityController } from './http/integrity.controller';

/** What auditors and downstream systems read: the log's integrity, timelines, the feed and webhooks. */
@Module({
  controllers: [IntegrityController, FeedController],
})
export class AuditModule {}
