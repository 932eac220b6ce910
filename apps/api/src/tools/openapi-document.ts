import 'reflect-metadata';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { OpenAPIObject } from '@nestjs/swagger';
import { loadConfig } from '@salesline/core';
import { createApp, openApiDocumentOf } from '../create-app';

/** The OpenAPI document of an in-process application on a scratch data folder (nothing listens). */
export const withOpenApiDocument = async <T>(use: (doc: OpenAPIObject) => Promise<T> | T): Promise<T> => {
  const dataDir = mkdtempSync(join(tmpdir(), 'salesline-openapi-'));
  const app = await createApp(
    loadConfig({ DATA_DIR: dataDir, ADMIN_TOKEN: randomBytes(24).toString('hex'), LOG_LEVEL: 'silent', PROJECTIONS: 'off' }),
  );
  try {
    await app.init();
    return await use(openApiDocumentOf(app));
  } finally {
    await app.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
};
