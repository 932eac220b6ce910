import { INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { AppConfig, openEventStore, openReadStore, toErrorBody, TokenService } from '@salesline/core';
import express, { NextFunction, Request, Response } from 'express';
import { Logger } from 'nestjs-pino';
import { AppModule } from './app.module';
import { allUpcasters } from './composition';

/** Builds the HTTP application on the configured stores (used by main and by the e2e suites). */
export const createApp = async (config: AppConfig): Promise<INestApplication> => {
  const eventStore = await openEventStore(config, allUpcasters);
  const readStore = await openReadStore(config);
  const app = await NestFactory.create(AppModule.forRoot(config, eventStore, readStore), { bufferLogs: true, bodyParser: false });
  app.useLogger(app.get(Logger));
  app.use(express.json({ limit: '1mb' }));
  // Body-parser failures happen before Nest's filters: answer them in the same error shape.
  app.use((err: unknown, _req: Request, res: Response, next: NextFunction) => {
    if (!err) return next();
    const body = toErrorBody(err);
    res.status(body.statusCode).json(body);
  });
  app.enableShutdownHooks();
  const document = SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle('Salesline API')
      .setDescription(
        'Event-sourced sales management: every change is an event. Commands answer with the global `position` of their last event; ' +
          'pass it as `?minPosition=` to a query to read your own write. Errors: 400 ValidationFailed with `errors[{field, reason}]`, ' +
          '401/403, 404, 409 (conflicts, ConcurrencyConflict) and 422 (business rules) with a stable `code`.',
      )
      .setVersion('1.0')
      .addBearerAuth()
      .build(),
  );
  SwaggerModule.setup('docs', app, document, { jsonDocumentUrl: 'docs-json' });
  return app;
};

export const adminTokenNotice = (app: INestApplication, config: AppConfig): string | null => {
  const tokens = app.get(TokenService);
  return tokens.generatedAdminToken
    ? `Generated the bootstrap admin token (stored in ${config.dataDir}/admin-token; shown only this once): ${tokens.adminToken}`
    : null;
};
