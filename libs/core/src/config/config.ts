import { resolve } from 'node:path';

export type SalesSettings = Readonly<{
  currency: string;
  /** How many days back a caller may date a document (business date). */
  backdatingWindowDays: number;
}>;

export type AppConfig = Readonly<{
  port: number;
  host: string;
  dataDir: string;
  eventStore: { kind: 'sqlite' } | { kind: 'postgres'; url: string } | { kind: 'eventstoredb'; url: string };
  readStore: { kind: 'sqlite' } | { kind: 'postgres'; url: string } | { kind: 'mongodb'; url: string };
  /** Run projections in the API process (embedded default) or only in apps/projector. */
  projectionsInProcess: boolean;
  adminToken: string | undefined;
  tokenSecret: string | undefined;
  /** Lifetime of access tokens (people) and of refresh tokens, in seconds. */
  accessTokenTtlSeconds: number;
  refreshTokenTtlSeconds: number;
  /**
   * How far a sales manager's writes reach: the salespeople they lead ('team', default), or every
   * salesperson ('company', for a manager who runs the company's order desk).
   */
  salesManagerScope: 'team' | 'company';
  /** Requests per minute per client address (before authentication) and per user; off for test rigs. */
  rateLimits: { enabled: boolean; perIpPerMinute: number; perUserPerMinute: number };
  /**
   * The HTTP platform under Nest: Fastify (default, ADR 0032) or Express (the platform before it, kept so that
   * the benchmark measures the API on both in one run).
   */
  httpPlatform: 'fastify' | 'express';
  /** Against stalled uploads: whole request, and headers alone (milliseconds). */
  requestTimeoutMs: number;
  headersTimeoutMs: number;
  logLevel: string;
  /** How long a query with ?minPosition= may wait for its projection. */
  readYourWritesTimeoutMs: number;
  settings: SalesSettings;
  /** Webhook delivery: attempts per event before the webhook is parked, first retry delay (doubling), request timeout. */
  webhooks: Readonly<{ maxAttempts: number; retryBaseMs: number; timeoutMs: number }>;
}>;

export class ConfigError extends Error {
  override name = 'ConfigError';
}

const int = (env: NodeJS.ProcessEnv, key: string, fallback: number, min: number, max: number): number => {
  const raw = env[key];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new ConfigError(`${key}=${raw} is invalid: expected an integer from ${min} to ${max}`);
  }
  return value;
};

const oneOf = <T extends string>(env: NodeJS.ProcessEnv, key: string, values: readonly T[], fallback: T): T => {
  const raw = env[key];
  if (raw === undefined || raw === '') return fallback;
  if (!values.includes(raw as T)) throw new ConfigError(`${key}=${raw} is invalid: expected one of ${values.join(', ')}`);
  return raw as T;
};

const url = (env: NodeJS.ProcessEnv, key: string, needed: string, schemes: readonly string[]): string => {
  const raw = env[key];
  if (!raw) throw new ConfigError(`${key} is required when ${needed}`);
  if (!schemes.some((s) => raw.startsWith(s))) {
    throw new ConfigError(`${key}=${redacted(raw)} is invalid: expected a URL starting with ${schemes.join(' or ')}`);
  }
  try {
    new URL(raw);
  } catch {
    throw new ConfigError(`${key}=${redacted(raw)} is invalid: not a well-formed URL`);
  }
  return raw;
};

/** A URL as it may be printed: without the password between `:` and `@`. */
const redacted = (raw: string): string => raw.replace(/^([a-z+]+:\/\/[^:/@]*):[^@/]*@/i, '$1:***@');

const POSTGRES_SCHEMES = ['postgres://', 'postgresql://'];

/**
 * How long a `?minPosition=` read may wait. A waiting request sends nothing, so a wait as long as the socket's idle
 * timeout (REQUEST_TIMEOUT_MS) would have its connection closed instead of an answer: a longer wait is refused, and
 * the default (5 s) is kept below half of a shorter request timeout.
 */
const readYourWritesTimeout = (env: NodeJS.ProcessEnv, requestTimeoutMs: number): number => {
  const fallback = Math.min(5000, Math.floor(requestTimeoutMs / 2));
  const wait = int(env, 'READ_YOUR_WRITES_TIMEOUT_MS', fallback, 0, 60000);
  if (wait >= requestTimeoutMs)
    throw new ConfigError(
      `READ_YOUR_WRITES_TIMEOUT_MS=${wait} is invalid: a read waiting that long is cut by REQUEST_TIMEOUT_MS=${requestTimeoutMs}; ` +
        'use a shorter wait or a longer request timeout',
    );
  return wait;
};

/** Reads and checks the whole configuration once; a bad value stops start-up with one clear line. */
export const loadConfig = (env: NodeJS.ProcessEnv = process.env): AppConfig => {
  const eventStoreKind = oneOf(env, 'EVENT_STORE', ['sqlite', 'postgres', 'eventstoredb'] as const, 'sqlite');
  const readStoreKind = oneOf(env, 'READ_STORE', ['sqlite', 'postgres', 'mongodb'] as const, 'sqlite');
  const projections = oneOf(env, 'PROJECTIONS', ['in-process', 'off'] as const, 'in-process');
  const logLevel = oneOf(env, 'LOG_LEVEL', ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const, 'info');
  const adminToken = env.ADMIN_TOKEN || undefined;
  if (adminToken !== undefined && adminToken.length < 16) throw new ConfigError('ADMIN_TOKEN is too short: use at least 16 characters');
  const currency = env.CURRENCY ?? 'EUR';
  if (!/^[A-Z]{3}$/.test(currency)) throw new ConfigError(`CURRENCY=${currency} is invalid: expected an ISO 4217 code such as EUR`);
  const requestTimeoutMs = int(env, 'REQUEST_TIMEOUT_MS', 15_000, 1000, 600_000);
  const readYourWritesTimeoutMs = readYourWritesTimeout(env, requestTimeoutMs);
  return {
    port: int(env, 'PORT', 3000, 0, 65535),
    host: env.HOST || '0.0.0.0',
    dataDir: resolve(env.DATA_DIR || './data'),
    eventStore:
      eventStoreKind === 'sqlite'
        ? { kind: 'sqlite' }
        : eventStoreKind === 'postgres'
          ? { kind: 'postgres', url: url(env, 'POSTGRES_URL', 'EVENT_STORE=postgres', POSTGRES_SCHEMES) }
          : {
              kind: 'eventstoredb',
              url: url(env, 'EVENTSTORE_URL', 'EVENT_STORE=eventstoredb', [
                'esdb://',
                'esdb+discover://',
                'kurrentdb://',
                'kurrentdb+discover://',
                'kdb://',
              ]),
            },
    readStore:
      readStoreKind === 'sqlite'
        ? { kind: 'sqlite' }
        : readStoreKind === 'postgres'
          ? { kind: 'postgres', url: url(env, 'POSTGRES_URL', 'READ_STORE=postgres', POSTGRES_SCHEMES) }
          : { kind: 'mongodb', url: url(env, 'MONGO_URL', 'READ_STORE=mongodb', ['mongodb://', 'mongodb+srv://']) },
    projectionsInProcess: projections === 'in-process',
    adminToken,
    tokenSecret: env.TOKEN_SECRET || undefined,
    rateLimits: {
      enabled: oneOf(env, 'RATE_LIMIT', ['on', 'off'] as const, 'on') === 'on',
      perIpPerMinute: int(env, 'RATE_LIMIT_PER_IP_PER_MINUTE', 1200, 1, 1_000_000),
      perUserPerMinute: int(env, 'RATE_LIMIT_PER_USER_PER_MINUTE', 1200, 1, 1_000_000),
    },
    httpPlatform: oneOf(env, 'HTTP_PLATFORM', ['fastify', 'express'] as const, 'fastify'),
    requestTimeoutMs,
    headersTimeoutMs: int(env, 'HEADERS_TIMEOUT_MS', 5_000, 1000, 600_000),
    salesManagerScope: oneOf(env, 'SALES_MANAGER_SCOPE', ['team', 'company'] as const, 'team'),
    accessTokenTtlSeconds: int(env, 'ACCESS_TOKEN_TTL_SECONDS', 900, 1, 10 * 365 * 86_400),
    refreshTokenTtlSeconds: int(env, 'REFRESH_TOKEN_TTL_SECONDS', 30 * 86_400, 1, 10 * 365 * 86_400),
    logLevel,
    readYourWritesTimeoutMs,
    settings: {
      currency,
      backdatingWindowDays: int(env, 'BACKDATING_WINDOW_DAYS', 366, 0, 3660),
    },
    webhooks: {
      maxAttempts: int(env, 'WEBHOOK_MAX_ATTEMPTS', 8, 1, 100),
      retryBaseMs: int(env, 'WEBHOOK_RETRY_BASE_MS', 1000, 1, 3_600_000),
      timeoutMs: int(env, 'WEBHOOK_TIMEOUT_MS', 10_000, 10, 300_000),
    },
  };
};
