import { ConfigError, loadConfig } from './config';

const refusal = (env: NodeJS.ProcessEnv) => {
  try {
    loadConfig(env);
    return 'accepted';
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    return (err as Error).message;
  }
};

describe('Configuration of the PostgreSQL stores', () => {
  it('selects PostgreSQL for events and read models with POSTGRES_URL', () => {
    const config = loadConfig({ EVENT_STORE: 'postgres', READ_STORE: 'postgres', POSTGRES_URL: 'postgres://app:secret@db:5432/salesline' });
    expect(config.eventStore).toEqual({ kind: 'postgres', url: 'postgres://app:secret@db:5432/salesline' });
    expect(config.readStore).toEqual({ kind: 'postgres', url: 'postgres://app:secret@db:5432/salesline' });
    expect(loadConfig({ READ_STORE: 'postgres', POSTGRES_URL: 'postgresql://db/salesline' }).eventStore).toEqual({ kind: 'sqlite' });
  });

  it('stops on a missing or bad POSTGRES_URL with one line that does not print the password', () => {
    expect(refusal({ EVENT_STORE: 'postgres' })).toBe('POSTGRES_URL is required when EVENT_STORE=postgres');
    expect(refusal({ READ_STORE: 'postgres' })).toBe('POSTGRES_URL is required when READ_STORE=postgres');
    expect(refusal({ EVENT_STORE: 'postgres', POSTGRES_URL: 'mysql://app:secret@db/salesline' })).toBe(
      'POSTGRES_URL=mysql://app:***@db/salesline is invalid: expected a URL starting with postgres:// or postgresql://',
    );
    expect(refusal({ EVENT_STORE: 'postgres', POSTGRES_URL: 'postgres://app:secret@db:port/x' })).toBe(
      'POSTGRES_URL=postgres://app:***@db:port/x is invalid: not a well-formed URL',
    );
    expect(refusal({ EVENT_STORE: 'oracle' })).toBe('EVENT_STORE=oracle is invalid: expected one of sqlite, postgres, eventstoredb');
    expect(refusal({ READ_STORE: 'redis' })).toBe('READ_STORE=redis is invalid: expected one of sqlite, postgres, mongodb');
  });
});

describe('Configuration of read-your-writes waits', () => {
  it('keeps a ?minPosition= wait shorter than the request timeout that would close its silent connection', () => {
    expect(loadConfig({}).readYourWritesTimeoutMs).toBe(5000);
    expect(loadConfig({ REQUEST_TIMEOUT_MS: '1500' }).readYourWritesTimeoutMs).toBe(750);
    expect(loadConfig({ READ_YOUR_WRITES_TIMEOUT_MS: '60000', REQUEST_TIMEOUT_MS: '120000' }).readYourWritesTimeoutMs).toBe(60000);
    expect(refusal({ READ_YOUR_WRITES_TIMEOUT_MS: '60000' })).toBe(
      'READ_YOUR_WRITES_TIMEOUT_MS=60000 is invalid: a read waiting that long is cut by REQUEST_TIMEOUT_MS=15000; ' +
        'use a shorter wait or a longer request timeout',
    );
  });
});
