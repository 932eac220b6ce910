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
