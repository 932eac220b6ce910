import { Inject } from '@nestjs/common';
import { CommandHandler } from '@nestjs/cqrs';
import { defineAggregate, EVENT_STORE, EventStore, route, RoutedCommand, RoutedCommandHandler } from '@salesline/core';
import { webhookDecider, webhookStream } from '../domain/webhook';

/** The webhook aggregate: `webhook-<id>`, created by RegisterWebhook. */
export const WEBHOOK = defineAggregate({
  streamName: webhookStream,
  decider: webhookDecider,
  notFound: { code: 'WebhookNotFound', unless: ['RegisterWebhook'] },
});

/** The audit context's route table: webhooks (registered and replayed by an admin, parked by the dispatcher). */
export const webhookRoutes = () => ({ webhook: route(WEBHOOK) });
export type WebhookRoutes = ReturnType<typeof webhookRoutes>;

/** One message on the CommandBus for every webhook command. */
export class ExecuteWebhookCommand extends RoutedCommand<WebhookRoutes> {}

@CommandHandler(ExecuteWebhookCommand)
export class WebhookCommandHandler extends RoutedCommandHandler<WebhookRoutes> {
  constructor(@Inject(EVENT_STORE) events: EventStore) {
    super(events, webhookRoutes());
  }
}
