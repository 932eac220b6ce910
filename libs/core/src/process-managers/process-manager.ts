import { Injectable, Logger } from '@nestjs/common';
import { DomainError } from '@salesline/shared-kernel';
import { EventStore, EventSubscription, RecordedEvent } from '../event-store/event-store.port';
import { ReadStore } from '../read-store/read-store.port';

/**
 * A process manager carries an effect from one stream to another (an invoice on an order becomes
 * a receivable on the customer's account). Its reaction must be idempotent: it runs inline right
 * after the command that caused it, and again from its own subscription, which resumes from a
 * stored checkpoint after a restart, so nothing is lost and nothing is done twice.
 */
export interface ProcessManager {
  readonly name: string;
  readonly handles: readonly string[];
  react(event: RecordedEvent): Promise<void>;
}

/** Process managers register here (from their module's onModuleInit); the runtime starts them. */
@Injectable()
export class ProcessManagerRegistry {
  readonly all: ProcessManager[] = [];
  register(manager: ProcessManager): void {
    if (!this.all.some((m) => m.name === manager.name)) this.all.push(manager);
  }
}

const checkpointName = (manager: ProcessManager) => `process-manager:${manager.name}`;

/** Follows `$all` from the manager's checkpoint and reacts to each event it handles, one at a time. */
export class ProcessManagerRunner {
  private readonly logger: Logger;
  private subscription: EventSubscription | null = null;
  private stopped = false;
  private loop: Promise<void> | null = null;

  constructor(
    private readonly events: EventStore,
    private readonly readStore: ReadStore,
    private readonly manager: ProcessManager,
  ) {
    this.logger = new Logger(`ProcessManager:${manager.name}`);
  }

  start(): void {
    this.loop ??= this.run();
  }

  private async run(): Promise<void> {
    const handled = new Set(this.manager.handles);
    while (!this.stopped) {
      try {
        const from = await this.readStore.getCheckpoint(checkpointName(this.manager));
        this.subscription = this.events.subscribeToAll({ afterPosition: from, filter: { eventTypes: this.manager.handles } });
        for await (const event of this.subscription) {
          if (this.stopped) break;
          if (handled.has(event.type)) await this.reactOnce(event);
          await this.readStore.setCheckpoint(checkpointName(this.manager), event.position);
        }
      } catch (err) {
        if (this.stopped) return;
        this.logger.error(`failed; resuming from the checkpoint in 1s: ${err instanceof Error ? err.stack : String(err)}`);
        await new Promise((r) => setTimeout(r, 1000));
      }
    }
  }

  private async reactOnce(event: RecordedEvent): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.manager.react(event);
      } catch (err) {
        // A business rule that refuses the reaction will refuse it forever: record and move on.
        if (err instanceof DomainError) {
          this.logger.warn(`${event.type}@${event.position} refused: ${err.code} ${err.message}`);
          return;
        }
        if (attempt >= 5 || this.stopped) throw err;
        await new Promise((r) => setTimeout(r, 100 * attempt));
      }
    }
  }

  async stop(): Promise<void> {
    this.stopped = true;
    await this.subscription?.unsubscribe().catch(() => undefined);
    await this.loop?.catch(() => undefined);
  }
}
