import { Inject, Injectable, Logger, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import {
  APP_CONFIG,
  AppConfig,
  EVENT_STORE,
  EventStore,
  EventSubscription,
  READ_STORE,
  ReadStore,
  RecordedEvent,
  SYSTEM_ACTORS,
  systemRequest,
} from '@salesline/core';
import { createHmac } from 'node:crypto';
import { feedEntry } from '../http/feed.controller';
import { DeadLetter } from '../domain/webhook';
import { ExecuteWebhookCommand } from './webhook-commands';
import { WebhookDoc, webhooksProjection } from '../read-models/webhooks.projection';
import { WebhookSecrets } from './webhook-secrets';

export const webhookCheckpoint = (webhookId: string) => `webhook:${webhookId}`;

/** The headers a receiver checks: `X-Salesline-Signature: sha256=<hex HMAC-SHA256(secret, "<timestamp>.<body>")>`. */
export const signWebhook = (secret: string, timestamp: string, body: string): string =>
  `sha256=${createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')}`;

/** Delay before attempt n+1 after n failures: base × 2^(n−1), at most ten minutes. */
export const backoffMs = (base: number, failures: number): number => Math.min(base * 2 ** (failures - 1), 600_000);

/** Follows the log for one webhook from its checkpoint and delivers each event in order, one at a time. */
class WebhookRunner {
  private stopped = false;
  private subscription: EventSubscription | null = null;
  private wakeSleep: (() => void) | null = null;
  private loop: Promise<void> | null = null;
  /** How many times the webhook had been parked when this runner started: a replay starts a new generation. */
  readonly generation: number;

  constructor(
    readonly webhook: WebhookDoc,
    private readonly secret: string,
    private readonly deps: {
      events: EventStore;
      readStore: ReadStore;
      config: AppConfig['webhooks'];
      logger: Logger;
      park: (w: WebhookDoc, d: DeadLetter, e: RecordedEvent) => Promise<void>;
    },
  ) {
    this.generation = webhook.parkings.length;
  }

  start(): void {
    this.loop ??= this.run();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.wakeSleep?.();
    await this.subscription?.unsubscribe().catch(() => undefined);
    await this.loop?.catch(() => undefined);
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.wakeSleep = null;
        resolve();
      };
      const timer = setTimeout(done, ms);
      this.wakeSleep = done;
    });
  }

  private async run(): Promise<void> {
    while (!this.stopped) {
      try {
        if (await this.consume()) return; // parked
      } catch (err) {
        if (this.stopped) return;
        this.deps.logger.error(
          `webhook ${this.webhook.id} failed; resuming from its checkpoint: ${err instanceof Error ? err.message : String(err)}`,
        );
        await this.sleep(1000);
      }
    }
  }

  /** Returns true when the webhook was parked. */
  private async consume(): Promise<boolean> {
    const all = this.webhook.eventTypes.includes('*');
    const from = await this.deps.readStore.getCheckpoint(webhookCheckpoint(this.webhook.id));
    const subscription = this.deps.events.subscribeToAll({
      afterPosition: from,
      filter: all ? undefined : { eventTypes: this.webhook.eventTypes },
    });
    this.subscription = subscription;
    try {
      for await (const event of subscription) {
        if (this.stopped) return false;
        // Webhooks' own bookkeeping is not news for their receivers.
        if (all && event.streamName.startsWith('webhook-')) {
          await this.deps.readStore.setCheckpoint(webhookCheckpoint(this.webhook.id), event.position);
          continue;
        }
        const outcome = await this.deliver(event);
        if (this.stopped) return false;
        if (outcome !== 'delivered') {
          await this.deps.park(
            this.webhook,
            {
              position: event.position,
              eventId: event.id,
              eventType: event.type,
              stream: event.streamName,
              attempts: this.deps.config.maxAttempts,
              lastError: outcome.error,
              parkedAt: new Date().toISOString(),
            },
            event,
          );
          return true;
        }
        await this.deps.readStore.setCheckpoint(webhookCheckpoint(this.webhook.id), event.position);
      }
      return false;
    } finally {
      await subscription.unsubscribe().catch(() => undefined);
      this.subscription = null;
    }
  }

  private async deliver(event: RecordedEvent): Promise<'delivered' | { error: string }> {
    const body = JSON.stringify(feedEntry(event));
    let error = '';
    for (let attempt = 1; attempt <= this.deps.config.maxAttempts && !this.stopped; attempt++) {
      const timestamp = String(Math.floor(Date.now() / 1000));
      try {
        const res = await fetch(this.webhook.url, {
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            'user-agent': 'salesline-webhooks/1',
            'idempotency-key': event.id,
            'x-salesline-event-id': event.id,
            'x-salesline-event-type': event.type,
            'x-salesline-position': String(event.position),
            'x-salesline-webhook-id': this.webhook.id,
            'x-salesline-attempt': String(attempt),
            'x-salesline-timestamp': timestamp,
            'x-salesline-signature': signWebhook(this.secret, timestamp, body),
          },
          body,
          signal: AbortSignal.timeout(this.deps.config.timeoutMs),
          redirect: 'manual',
        });
        await res.arrayBuffer().catch(() => undefined);
        if (res.status >= 200 && res.status < 300) return 'delivered';
        error = `HTTP ${res.status}`;
      } catch (err) {
        error = err instanceof Error ? `${err.name}: ${err.message}` : String(err);
      }
      if (attempt < this.deps.config.maxAttempts) await this.sleep(backoffMs(this.deps.config.retryBaseMs, attempt));
    }
    return { error };
  }
}

/**
 * Delivers events to registered webhooks: the log is the outbox, and each webhook's checkpoint
 * says how far it got. One runner per active webhook, beside the commands, so a slow or failing
 * receiver never blocks or slows a command. Delivery is at least once and in log order (so in
 * order per stream); receivers drop repeats by the idempotency id. After `maxAttempts` failures
 * on one event the webhook is parked on it (WebhookParked) until an admin replays it.
 */
@Injectable()
export class WebhookDispatcher implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger('Webhooks');
  private readonly runners = new Map<string, WebhookRunner>();
  private timer: NodeJS.Timeout | null = null;
  private syncing: Promise<void> | null = null;
  private stopped = false;

  constructor(
    @Inject(EVENT_STORE) private readonly events: EventStore,
    @Inject(READ_STORE) private readonly readStore: ReadStore,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly secrets: WebhookSecrets,
    private readonly commandBus: CommandBus,
  ) {}

  onApplicationBootstrap(): void {
    if (this.config.projectionsInProcess) this.start();
  }

  /** Starts following the registry (also called by apps/projector). */
  start(): void {
    if (this.timer) return;
    this.timer = setInterval(() => {
      this.syncing ??= this.sync().finally(() => (this.syncing = null));
    }, 200);
  }

  private async sync(): Promise<void> {
    if (this.stopped) return;
    const webhooks = await this.readStore.find<WebhookDoc>(webhooksProjection.collection, {}, { limit: 10_000 }).catch(() => []);
    const active = new Map(webhooks.filter((w) => w.status === 'active').map((w) => [w.id, w]));
    for (const [id, runner] of this.runners) {
      if (!active.has(id)) {
        this.runners.delete(id);
        await runner.stop();
      }
    }
    for (const [id, webhook] of active) {
      if (this.stopped) return;
      const current = this.runners.get(id);
      // A runner that parked stays until the registry shows the parking (or a replay after it).
      if (current && current.generation === webhook.parkings.length) continue;
      if (current) await current.stop();
      let secret: string;
      try {
        secret = this.secrets.decrypt(webhook.encryptedSecret);
      } catch {
        this.logger.error(`webhook ${id}: its secret cannot be decrypted with this TOKEN_SECRET; not delivering`);
        continue;
      }
      const runner = new WebhookRunner(webhook, secret, {
        events: this.events,
        readStore: this.readStore,
        config: this.config.webhooks,
        logger: this.logger,
        park: (w, deadLetter, event) => this.park(w, deadLetter, event),
      });
      this.runners.set(id, runner);
      runner.start();
    }
  }

  private async park(webhook: WebhookDoc, deadLetter: DeadLetter, event: RecordedEvent): Promise<void> {
    this.logger.warn(`webhook ${webhook.id} parked on ${event.type}@${event.position}: ${deadLetter.lastError}`);
    await this.commandBus.execute(
      new ExecuteWebhookCommand(
        { kind: 'webhook', id: webhook.id, command: { type: 'ParkWebhook', data: { deadLetter } } },
        systemRequest({ correlationId: event.metadata.correlationId, causationId: event.id }, SYSTEM_ACTORS.webhooks),
      ),
    );
  }

  async onModuleDestroy(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    await this.syncing;
    await Promise.all([...this.runners.values()].map((r) => r.stop()));
    this.runners.clear();
  }
}
