import { Controller, Get, Inject } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { HealthCheck, HealthCheckService, HealthIndicatorService } from '@nestjs/terminus';
import { Public } from '../auth/auth.guard';
import { EVENT_STORE, EventStore } from '../event-store/event-store.port';
import { READ_STORE, ReadStore } from '../read-store/read-store.port';

@ApiTags('health')
@Public()
@Controller('health')
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly indicators: HealthIndicatorService,
    @Inject(EVENT_STORE) private readonly events: EventStore,
    @Inject(READ_STORE) private readonly readStore: ReadStore,
  ) {}

  private async storeCheck(key: string, kind: string, ping: () => Promise<void>) {
    const check = this.indicators.check(key);
    try {
      await ping();
      return check.up({ kind });
    } catch (err) {
      return check.down({ kind, message: err instanceof Error ? err.message : String(err) });
    }
  }

  /** Readiness: the process is up and both stores answer. */
  @Get()
  @HealthCheck()
  @ApiOperation({ summary: 'Readiness: the process is up and both stores answer' })
  readiness() {
    return this.health.check([
      () => this.storeCheck('eventStore', this.events.kind, () => this.events.ping()),
      () => this.storeCheck('readStore', this.readStore.kind, () => this.readStore.ping()),
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
