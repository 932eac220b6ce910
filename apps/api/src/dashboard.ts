import { INestApplication } from '@nestjs/common';
import fastifyStatic from '@fastify/static';
import express, { NextFunction, Request, Response } from 'express';
import type { FastifyInstance } from 'fastify';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';

/**
 * Where the dashboard build lives: `WEB_DIR` when set, else `dist/web` next to the compiled API (dist/apps/api/src → dist/web)
 * or next to its sources (apps/api/src → dist/web) when run from TypeScript.
 */
export const dashboardDir = (env: NodeJS.ProcessEnv = process.env): string | null =>
  (env.WEB_DIR ? [env.WEB_DIR] : [resolve(__dirname, '../../../web'), resolve(__dirname, '../../../dist/web')]).find((dir) =>
    existsSync(join(dir, 'index.html')),
  ) ?? null;

const API_PATH = /^\/(api|docs|health)(\/|$|-)/;

/** Serves the dashboard's static files at `/` when it has been built; without a build the API starts all the same. */
export const serveDashboard = (app: INestApplication, dir = dashboardDir()): string | null => {
  if (!dir) return null;
  const files = express.static(dir, {
    index: 'index.html',
    fallthrough: true,
    maxAge: '1h',
    setHeaders: (res, path) => path.endsWith('.html') && res.setHeader('Cache-Control', 'no-cache'),
  });
  // API, docs and health requests never touch the file system.
  app.use((req: Request, res: Response, next: NextFunction) =>
    (req.method !== 'GET' && req.method !== 'HEAD') || API_PATH.test(req.path) ? next() : files(req, res, next),
  );
  return dir;
};

/** The same on Fastify (@fastify/static): API, docs and health paths are the API's alone, whatever the folder holds. */
export const serveDashboardOnFastify = (fastify: FastifyInstance, dir = dashboardDir()): string | null => {
  if (!dir) return null;
  void fastify.register(fastifyStatic, {
    root: dir,
    prefix: '/',
    index: 'index.html',
    maxAge: '1h',
    decorateReply: false,
    allowedPath: (path) => !API_PATH.test(path),
    setHeaders: (reply, path) => {
      if (path.endsWith('.html'))
        (reply as unknown as { header(name: string, value: string): unknown }).header('Cache-Control', 'no-cache');
    },
  });
  return dir;
};
