import { DynamicModule, Global, MiddlewareConsumer, Module, NestModule } from '@nestjs/common';
import { APP_FILTER, APP_GUARD, APP_PIPE } from '@nestjs/core';
import { CqrsModule } from '@nestjs/cqrs';
import { AccessCommandHandler } from '../auth/access-commands';
import { TerminusModule } from '@nestjs/terminus';
import { LoggerModule } from 'nestjs-pino';
import { randomUUID } from 'node:crypto';
import type { AppConfig } from '../config/config';
import { EVENT_STORE, EventStore } from '../event-store/event-store.port';
import { READ_STORE, ReadStore } from '../read-store/read-store.port';
import { AnyProjection, PROJECTIONS } from '../projections/projection';
import { AuthGuard } from '../auth/auth.guard';
import { PERMISSIONS, PermissionGuard, PermissionPolicy } from '../auth/permissions';
import { BodyAllowedGuard } from '../http/body-allowed.guard';
import { TRACE_ID } from '../http/request-hygiene';
import { IP_THROTTLER, IpRateLimitGuard, TOKEN_THROTTLER, TokenRateLimitGuard } from '../http/rate-limits';
import { ThrottlerModule } from '@nestjs/throttler';
import { AuthController } from '../auth/auth.controller';
import { TokenService } from '../auth/token.service';
import { AccessRegistry } from '../auth/access-registry';
import { HttpErrorFilter, salesValidationPipe } from '../http/errors';
import { HealthController } from '../http/health.controller';
import { StreamsController } from '../http/streams.controller';
import { ReadYourWrites } from '../http/read-your-writes';
import { ReadModels } from '../http/read-models';
import { BusinessDates } from '../http/business-dates';
import { ProjectionsService } from './projections.service';
import { StoreLifecycle } from './store-lifecycle';
import { ProcessManagerRegistry } from '../process-managers/process-manager';
import { APP_CONFIG } from './tokens';
import { Metrics, MetricsController, RequestMetricsMiddleware } from '../metrics/metrics';

export type CoreModuleOptions = {
  config: AppConfig;
  eventStore: EventStore;
  readStore: ReadStore;
  projections: AnyProjection[];
  /** Serve HTTP (api) or only run projections (projector). */
  http: boolean;
  /** Who may call what (the API's central permission table). */
  permissions?: PermissionPolicy;
};

/**
 * The platform every bounded context uses: the stores, the command bus, authentication,
 * validation and error mapping, health, the audit stream view, and the projection runtime.
 */
@Global()
@Module({})
export class CoreModule implements NestModule {
  configure(consumer: MiddlewareConsumer): void {
    consumer.apply(RequestMetricsMiddleware).forRoutes('*');
  }

  static forRoot(options: CoreModuleOptions): DynamicModule {
    const { config } = options;
    const providers = [
      { provide: APP_CONFIG, useValue: config },
      { provide: EVENT_STORE, useValue: options.eventStore },
      { provide: READ_STORE, useValue: options.readStore },
      { provide: PROJECTIONS, useValue: options.projections },
      { provide: AccessRegistry, useFactory: (events: EventStore) => new AccessRegistry(events), inject: [EVENT_STORE] },
      {
        provide: TokenService,
        useFactory: (registry: AccessRegistry) =>
          new TokenService(config.dataDir, config.adminToken, config.tokenSecret, registry, {
            accessTokenTtlSeconds: config.accessTokenTtlSeconds,
            refreshTokenTtlSeconds: config.refreshTokenTtlSeconds,
          }),
        inject: [AccessRegistry],
      },
      ReadYourWrites,
      ReadModels,
      BusinessDates,
      ProcessManagerRegistry,
      ProjectionsService,
      AccessCommandHandler,
      StoreLifecycle,
      Metrics,
    ];
    const httpProviders = options.http
      ? [
          ...(config.rateLimits.enabled ? [{ provide: APP_GUARD, useClass: IpRateLimitGuard }] : []),
          { provide: APP_GUARD, useClass: AuthGuard },
          ...(config.rateLimits.enabled ? [{ provide: APP_GUARD, useClass: TokenRateLimitGuard }] : []),
          { provide: APP_GUARD, useClass: PermissionGuard },
          { provide: APP_GUARD, useClass: BodyAllowedGuard },
          ...(options.permissions ? [{ provide: PERMISSIONS, useValue: options.permissions }] : []),
          { provide: APP_FILTER, useClass: HttpErrorFilter },
          { provide: APP_PIPE, useFactory: salesValidationPipe },
          // No global interceptor: answers are shaped (internal fields, CSV) where they are written, by
          // ShapedAnswersFastifyAdapter (or ShapedAnswersExpressAdapter; http/answers.ts), which createApp gives Nest.
        ]
      : [];
    return {
      module: CoreModule,
      imports: [
        CqrsModule.forRoot(),
        TerminusModule.forRoot({ logger: false }),
        ThrottlerModule.forRoot({
          throttlers: [
            { name: IP_THROTTLER, ttl: 60_000, limit: config.rateLimits.perIpPerMinute },
            { name: TOKEN_THROTTLER, ttl: 60_000, limit: config.rateLimits.perUserPerMinute },
          ],
        }),
        LoggerModule.forRoot({
          // LOG_LEVEL=silent writes no request log: no per-request logger, no async context around each
          // request (the correlation id is then set by the app's correlationIds middleware alone).
          // Every route, named as the metrics middleware names it: nestjs-pino's default route (`{/*splat}`) matches nothing on Fastify.
          forRoutes: config.logLevel === 'silent' ? [] : ['*'],
          pinoHttp: {
            level: config.logLevel,
            genReqId: (req, res) => {
              const known = (req as unknown as { correlationId?: string }).correlationId;
              if (known) return known;
              const incoming = req.headers['x-correlation-id'];
              const id = typeof incoming === 'string' && TRACE_ID.test(incoming) ? incoming : randomUUID();
              (req as unknown as { correlationId: string }).correlationId = id;
              res.setHeader('X-Correlation-Id', id);
              return id;
            },
            redact: ['req.headers.authorization'],
            // On Fastify a middleware sees the URL less the route's mount path: the original one names /health.
            autoLogging: { ignore: (req) => ((req as { originalUrl?: string }).originalUrl ?? req.url ?? '').startsWith('/health') },
          },
        }),
      ],
      controllers: options.http ? [HealthController, StreamsController, AuthController, MetricsController] : [],
      providers: [...providers, ...httpProviders],
      exports: [
        APP_CONFIG,
        EVENT_STORE,
        READ_STORE,
        PROJECTIONS,
        TokenService,
        AccessRegistry,
        ReadYourWrites,
        ReadModels,
        BusinessDates,
        ProcessManagerRegistry,
        ProjectionsService,
        CqrsModule,
      ],
    };
  }
}
