import { ConfigError, loadConfig } from '../../../src/config/app-config';

const SECRET = 'a-secret-of-sixteen-chars';

describe('EVENT_STORE=postgres configuration', () => {
  it('takes the log from DATABASE_URL and puts the read models there too by default', () => {
    const config = loadConfig({ EVENT_STORE: 'postgres', DATABASE_URL: 'postgres://db/app', AUTH_JWT_SECRET: SECRET });
    expect(config).toMatchObject({ eventStore: 'postgres', eventStoreDatabaseUrl: 'postgres://db/app', readStore: 'postgres' });
  });

  it('prefers EVENT_STORE_DATABASE_URL for the log, and READ_STORE when given', () => {
    const config = loadConfig({
      EVENT_STORE: 'postgres',
      EVENT_STORE_DATABASE_URL: 'postgres://db/log',
      READ_STORE: 'embedded',
      AUTH_JWT_SECRET: SECRET,
    });
    expect(config).toMatchObject({ eventStoreDatabaseUrl: 'postgres://db/log', readStore: 'embedded', databaseUrl: null });
  });

  it('refuses a log on PostgreSQL without a URL, naming both variables', () => {
    expect(() => loadConfig({ EVENT_STORE: 'postgres', READ_STORE: 'embedded', AUTH_JWT_SECRET: SECRET })).toThrow(
      /EVENT_STORE_DATABASE_URL or DATABASE_URL is required when EVENT_STORE=postgres/,
    );
  });

  it('names the three accepted stores when EVENT_STORE is unknown', () => {
    expect(() => loadConfig({ EVENT_STORE: 'mysql' })).toThrow(ConfigError);
    expect(() => loadConfig({ EVENT_STORE: 'mysql' })).toThrow(/embedded, eventstoredb or postgres, got "mysql"/);
  });

  it('leaves the embedded default unchanged', () => {
    expect(loadConfig({})).toMatchObject({ eventStore: 'embedded', readStore: 'embedded', eventStoreDatabaseUrl: null });
  });
});

describe("where the customers' data keys live (issue 13): on the write side, never the read store", () => {
  it('EVENT_STORE=postgres: in the log database, even with the read models elsewhere', () => {
    const config = loadConfig({
      EVENT_STORE: 'postgres',
      EVENT_STORE_DATABASE_URL: 'postgres://db/log',
      DATABASE_URL: 'postgres://db/read',
      AUTH_JWT_SECRET: SECRET,
    });
    expect(config.dataKeysDatabaseUrl).toBe('postgres://db/log');
  });

  it('embedded: beside the log under DATA_DIR (no URL), whatever the read store', () => {
    const config = loadConfig({ READ_STORE: 'postgres', DATABASE_URL: 'postgres://db/read', AUTH_JWT_SECRET: SECRET });
    expect(config.dataKeysDatabaseUrl).toBeNull();
  });

  it('EventStoreDB: DATA_KEYS_DATABASE_URL when given', () => {
    const config = loadConfig({
      EVENT_STORE: 'eventstoredb',
      EVENTSTORE_CONNECTION_STRING: 'esdb://x:2113?tls=false',
      DATA_KEYS_DATABASE_URL: 'postgres://db/keys',
      READ_STORE: 'postgres',
      DATABASE_URL: 'postgres://db/read',
      AUTH_JWT_SECRET: SECRET,
    });
    expect(config.dataKeysDatabaseUrl).toBe('postgres://db/keys');
  });
});
