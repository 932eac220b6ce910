import { Controller, Get, Inject } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { HealthCheck, HealthCheckService, HealthIndicatorService } from '@nestjs/terminus';
import { Public } from '../auth/auth.guard';
import { EVENT_STORE, EventStore } from '../event-store/event-store.port';
import { READ_STORE, ReadStore } from '../read-store/read-store.port';
import { ProjectionsService } from '../nest/projections.service';

@ApiTags('health')
@Public()
@Controller('health')
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly indicators: HealthIndicatorService,
    @Inject(EVENT_STORE) private readonly events: EventStore,
    @Inject(READ_STORE) private readonly readStore: ReadStore,
    private readonly projections: ProjectionsService,
  ) {}

  /** The projections' catch-up: up while they catch up (reads may lag; `?minPosition=` waits), with how far behind they are. */
  private async projectionsCheck() {
    const check = this.indicators.check('projections');
    const status = await this.projections.status();
    if (!status) return check.up({ mode: 'separate process' });
    const slowest = status.consumers.reduce((a, b) => (b.lag > a.lag ? b : a), status.consumers[0]);
    return check.up({ catchingUp: status.catchingUp, head: status.head, lag: status.lag, slowest: slowest?.name ?? null });
  }

  private async storeCheck(key: string, kind: string, ping: () => Promise<void>) {
    const check = this.indicators.check(key);
    try {
      await ping();
      return check.up({ kind });
    } catch (err) {
      return check.down({ kind, message: err instanceof Error ? err.message : String(err) });
    }
  }

  /** Readiness: the process is up and both stores answer; with the projections' catch-up and lag. */
  @Get()
  @HealthCheck()
  @ApiOperation({ summary: 'Readiness: the process is up and both stores answer' })
  readiness() {
    return this.health.check([
      () => this.storeCheck('eventStore', this.events.kind, () => this.events.ping()),
      () => this.storeCheck('readStore', this.readStore.kind, () => this.readStore.ping()),
      () => this.projectionsCheck(),
    ]);
  }

  /** Liveness: the process answers (no store checks, so a store outage does not restart it). */
  @Get('live')
  @HealthCheck()
  @ApiOperation({ summary: 'Liveness: the process answers' })
  liveness() {
    return this.health.check([() => this.indicators.check('process').up({ uptimeSeconds: Math.round(process.uptime()) })]);
  }
}
