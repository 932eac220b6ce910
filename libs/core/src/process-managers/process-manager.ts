import { Injectable } from '@nestjs/common';
import { RecordedEvent } from '../event-store/event-store.port';

/**
 * A process manager carries an effect from one stream to another (an invoice on an order becomes
 * a receivable on the customer's account). Its reaction must be idempotent: it runs inline right
 * after the command that caused it, and again from its own subscription, which resumes from a
 * stored checkpoint after a restart, so nothing is lost and nothing is done twice. The
 * ProjectionHub runs them from the same read of the log as the projections.
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
