import type { PoolConfig } from 'pg';

/** Where a PostgreSQL URL points, without its password: for error messages and logs. */
export const describePostgresUrl = (url: string): string => {
  try {
    const parsed = new URL(url);
    const database = parsed.pathname.replace(/^\//, '') || '(default database)';
    return `${parsed.hostname || 'local socket'}${parsed.port ? `:${parsed.port}` : ''}/${database}`;
  } catch {
    return '(unparseable URL)';
  }
};

/** Pool settings shared by the PostgreSQL event and read stores. */
export const postgresPoolConfig = (url: string, max: number): PoolConfig => ({
  connectionString: url,
  max,
  // An unreachable server fails start-up within seconds instead of hanging.
  connectionTimeoutMillis: 10_000,
  application_name: 'salesline',
});
