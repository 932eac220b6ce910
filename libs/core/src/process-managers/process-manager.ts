import { Injectable, OnModuleInit } from '@nestjs/common';
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

/**
 * The event a reaction is run for: a recorded one (from the subscription), or one a command has just
 * appended, handed over inline with the correlation id of its request (without its place in the stream
 * when the caller does not know it).
 */
export type CausingEvent = Pick<RecordedEvent, 'type' | 'data'> & {
  metadata?: { correlationId?: string };
  streamName?: string;
  revision?: number;
};

/** The causation id of a reaction: the causing event's place in its stream (`<stream>@<revision>`), else `unrecorded`. */
export const causationIdOf = (event: CausingEvent, unrecorded: string): string =>
  event.streamName ? `${event.streamName}@${event.revision}` : unrecorded;

/**
 * A process manager whose reaction also reports what it wrote (`reactAndReport`), so that a command that runs
 * it inline can answer with it; from the subscription the report is dropped. It registers itself when its
 * module starts.
 */
export abstract class ReportingProcessManager<Report> implements ProcessManager, OnModuleInit {
  abstract readonly name: string;
  abstract readonly handles: readonly string[];

  constructor(private readonly processManagers: ProcessManagerRegistry) {}

  onModuleInit(): void {
    this.processManagers.register(this);
  }

  async react(event: RecordedEvent): Promise<void> {
    await this.reactAndReport(event);
  }

  abstract reactAndReport(event: CausingEvent): Promise<Report>;
}
