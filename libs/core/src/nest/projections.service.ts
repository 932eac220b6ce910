import { Inject, Injectable, Logger, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { EVENT_STORE, EventStore } from '../event-store/event-store.port';
import { READ_STORE, ReadStore } from '../read-store/read-store.port';
import { AnyProjection, PROJECTIONS } from '../projections/projection';
import { HubStatus, ProjectionHub } from '../projections/projection-hub';
import { ProcessManagerRegistry } from '../process-managers/process-manager';
import { APP_CONFIG } from './tokens';
import type { AppConfig } from '../config/config';
import { favourHeapSize } from '../projections/heap-size';

/**
 * Runs every registered projection and process manager in this process (embedded mode, or
 * apps/projector), off the request path: the projections from one shared read of the log, the
 * process managers from another. Two loops, because a reaction may wait for the projections to
 * catch up (ReadYourWrites.catchUp) and must not hold them up while it waits.
 */
@Injectable()
export class ProjectionsService implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger('Projections');
  private hubs: ProjectionHub[] = [];

  constructor(
    @Inject(EVENT_STORE) private readonly events: EventStore,
    @Inject(READ_STORE) private readonly readStore: ReadStore,
    @Inject(PROJECTIONS) readonly projections: AnyProjection[],
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly processManagers: ProcessManagerRegistry,
  ) {}

  onApplicationBootstrap(): void {
    if (!this.config.projectionsInProcess) return;
    this.startAll();
  }

  /** Starts the hub and returns at once: catch-up runs in the background, yielding to requests. */
  startAll(): void {
    if (this.hubs.length > 0) return;
    const logger = {
      log: (msg: string) => this.logger.log(msg),
      warn: (msg: string) => this.logger.warn(msg),
      error: (msg: string, err?: unknown) => this.logger.error(`${msg}: ${err instanceof Error ? err.stack : String(err)}`),
    };
    this.hubs = [
      new ProjectionHub(this.events, this.readStore, this.projections, [], logger),
      new ProjectionHub(this.events, this.readStore, [], this.processManagers.all, logger),
    ];
    // Lean while catching up; back to speed once every hub has reached the head of the log.
    favourHeapSize(true);
    void Promise.all(this.hubs.map((h) => h.atHead)).then(() => favourHeapSize(false));
    for (const hub of this.hubs) hub.start();
    this.logger.log(
      `running projections: ${this.projections.map((p) => p.name).join(', ')}; process managers: ${this.processManagers.all.map((m) => m.name).join(', ') || 'none'}`,
    );
  }

  /** Where the projections stand (null when they run in another process). */
  async status(): Promise<HubStatus | null> {
    if (this.hubs.length === 0) return null;
    const all = await Promise.all(this.hubs.map((h) => h.status()));
    const consumers = all.flatMap((s) => s.consumers);
    return {
      head: Math.max(...all.map((s) => s.head)),
      catchingUp: all.some((s) => s.catchingUp),
      lag: Math.max(...all.map((s) => s.lag)),
      consumers,
    };
  }

  /** The hub stops before the stores close (StoreLifecycle closes them on application shutdown). */
  async onModuleDestroy(): Promise<void> {
    await Promise.all(this.hubs.map((h) => h.stop()));
  }
}
