import { Controller, Get, Header, Inject, Injectable, NestMiddleware, OnModuleDestroy } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import { Roles } from '../auth/auth.guard';
import { EVENT_STORE, EventStore } from '../event-store/event-store.port';
import { ProjectionsService } from '../nest/projections.service';
import { routeOf, type HttpRequest } from '../http/platform';

/**
 * The figures operators watch, in Prometheus format (prom-client), one registry per application:
 * request latency per route, appends and group-commit sizes, each projection's lag behind the
 * head of the log, the event store's size, and the process (memory, event-loop delay).
 */
@Injectable()
export class Metrics implements OnModuleDestroy {
  readonly registry = new Registry();
  readonly requestDuration = new Histogram({
    name: 'salesline_http_request_duration_seconds',
    help: 'HTTP request latency by method, route and status',
    labelNames: ['method', 'route', 'status'] as const,
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [this.registry],
  });
  private readonly unsubscribe: (() => void) | undefined;

  constructor(
    @Inject(EVENT_STORE) private readonly events: EventStore,
    private readonly projections: ProjectionsService,
  ) {
    collectDefaultMetrics({ register: this.registry, prefix: 'salesline_' });
    const appends = new Counter({
      name: 'salesline_appends_total',
      help: 'Appends committed (one per command)',
      registers: [this.registry],
    });
    const appended = new Counter({ name: 'salesline_appended_events_total', help: 'Events committed', registers: [this.registry] });
    const groupSize = new Histogram({
      name: 'salesline_group_commit_appends',
      help: 'Appends per group commit (one transaction, one fsync)',
      buckets: [1, 2, 4, 8, 16, 32, 64, 128, 256],
      registers: [this.registry],
    });
    this.unsubscribe = events.onCommit?.((commit) => {
      appends.inc(commit.appends);
      appended.inc(commit.events);
      groupSize.observe(commit.appends);
    });
    new Gauge({
      name: 'salesline_event_store_head_position',
      help: 'Global position of the last event in the log',
      registers: [this.registry],
      async collect(this: Gauge) {
        this.set(await events.headPosition());
      },
    });
    new Gauge({
      name: 'salesline_event_store_size_bytes',
      help: 'Size of the event store on disk (where the store can tell)',
      registers: [this.registry],
      async collect(this: Gauge) {
        const size = await events.sizeBytes?.();
        if (size !== undefined) this.set(size);
      },
    });
    const service = projections;
    new Gauge({
      name: 'salesline_projection_lag_events',
      help: 'Positions each projection and process manager is behind the head of the log',
      labelNames: ['consumer', 'kind'] as const,
      registers: [this.registry],
      async collect(this: Gauge<'consumer' | 'kind'>) {
        const status = await service.status();
        this.reset();
        for (const c of status?.consumers ?? []) this.set({ consumer: c.name, kind: c.kind }, c.lag);
      },
    });
  }

  onModuleDestroy(): void {
    this.unsubscribe?.();
  }
}

/** Times every request by the route that matched (its template, so ids do not explode the labels). */
@Injectable()
export class RequestMetricsMiddleware implements NestMiddleware {
  constructor(private readonly metrics: Metrics) {}

  use(req: IncomingMessage, res: ServerResponse, next: () => void): void {
    const end = this.metrics.requestDuration.startTimer();
    res.on('finish', () => {
      const route = routeOf(req as unknown as HttpRequest) ?? 'unmatched';
      end({ method: req.method ?? '', route, status: String(res.statusCode) });
    });
    next();
  }
}

@ApiTags('operations')
@ApiBearerAuth()
@Controller('metrics')
export class MetricsController {
  constructor(private readonly metrics: Metrics) {}

  @Get()
  @Roles('integration')
  @Header('Content-Type', 'text/plain; version=0.0.4; charset=utf-8')
  @ApiOperation({ summary: 'Prometheus metrics (role integration or admin)' })
  @ApiOkResponse({ description: 'Prometheus text exposition format' })
  scrape(): Promise<string> {
    return this.metrics.registry.metrics();
  }
}
