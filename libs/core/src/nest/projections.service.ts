import { Inject, Injectable, Logger, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { EVENT_STORE, EventStore } from '../event-store/event-store.port';
import { READ_STORE, ReadStore } from '../read-store/read-store.port';
import { AnyProjection, PROJECTIONS } from '../projections/projection';
import { ProjectionRunner } from '../projections/projection-runner';
import { ProcessManagerRegistry, ProcessManagerRunner } from '../process-managers/process-manager';
import { APP_CONFIG } from './tokens';
import type { AppConfig } from '../config/config';

/** Runs every registered projection and process manager in this process (embedded mode, or apps/projector). */
@Injectable()
export class ProjectionsService implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger('Projections');
  private runners: Array<ProjectionRunner | ProcessManagerRunner> = [];

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

  startAll(): void {
    const logger = {
      log: (msg: string) => this.logger.log(msg),
      error: (msg: string, err?: unknown) => this.logger.error(`${msg}: ${err instanceof Error ? err.stack : String(err)}`),
    };
    this.runners = [
      ...this.projections.map((p) => new ProjectionRunner(this.events, this.readStore, p, logger)),
      ...this.processManagers.all.map((m) => new ProcessManagerRunner(this.events, this.readStore, m)),
    ];
    for (const runner of this.runners) runner.start();
    this.logger.log(
      `running projections: ${this.projections.map((p) => p.name).join(', ')}; process managers: ${this.processManagers.all.map((m) => m.name).join(', ') || 'none'}`,
    );
  }

  /** Runners stop before the stores close (StoreLifecycle closes them on application shutdown). */
  async onModuleDestroy(): Promise<void> {
    await Promise.all(this.runners.map((r) => r.stop()));
  }
}
