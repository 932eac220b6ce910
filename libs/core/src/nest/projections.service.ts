import { Inject, Injectable, Logger, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { EVENT_STORE, EventStore } from '../event-store/event-store.port';
import { READ_STORE, ReadStore } from '../read-store/read-store.port';
import { AnyProjection, PROJECTIONS } from '../projections/projection';
import { HubStatus, ProjectionHub } from '../projections/projection-hub';
import { ProcessManagerRegistry } from '../process-managers/process-manager';
import { APP_CONFIG } from './tokens';
import type { AppConfig } from '../config/config';

/**
 * Runs every registered projection and process manager in this process (embedded mode, or
 * apps/projector), all from one shared read of the log (ProjectionHub), off the request path.
 */
@Injectable()
export class ProjectionsService implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger('Projections');
  private hub: ProjectionHub | null = null;

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
    if (this.hub) return;
    this.hub = new ProjectionHub(this.events, this.readStore, this.projections, this.processManagers.all, {
      log: (msg: string) => this.logger.log(msg),
      warn: (msg: string) => this.logger.warn(msg),
      error: (msg: string, err?: unknown) => this.logger.error(`${msg}: ${err instanceof Error ? err.stack : String(err)}`),
    });
    this.hub.start();
    this.logger.log(
      `running projections: ${this.projections.map((p) => p.name).join(', ')}; process managers: ${this.processManagers.all.map((m) => m.name).join(', ') || 'none'}`,
    );
  }

  /** Where the projections stand (null when they run in another process). */
  status(): Promise<HubStatus> | null {
    return this.hub?.status() ?? null;
  }

  /** The hub stops before the stores close (StoreLifecycle closes them on application shutdown). */
  async onModuleDestroy(): Promise<void> {
    await this.hub?.stop();
  }
}
