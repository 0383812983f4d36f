import { ConfigError, loadConfig } from './app-config';

describe('loadConfig', () => {
  it('applies defaults for an empty environment', () => {
    const config = loadConfig({});
    expect(config).toMatchObject({ port: 3000, host: '0.0.0.0', logLevel: 'info', bodyLimitBytes: 1048576 });
    expect(config.databaseUrl).toBeUndefined();
    expect(config.embeddedDataDir).toMatch(/\.data\/postgres$/);
  });

  it('reads every variable', () => {
    const config = loadConfig({
      PORT: '8080', HOST: '127.0.0.1', DATABASE_URL: 'postgresql://u@h:5432/db', EMBEDDED_PG_DATA_DIR: '/var/lib/x',
      EMBEDDED_PG_PORT: '5555', LOG_LEVEL: 'debug', BODY_LIMIT_BYTES: '2048', DATABASE_POOL_MAX: '5', SHUTDOWN_TIMEOUT_MS: '5000',
      IMPORT_BODY_LIMIT_BYTES: '4096', CHANGE_LOG_RETENTION_SECONDS: '600', IMPORT_MAX_DOCUMENTS: '50', IMPORT_MAX_IN_FLIGHT: '3', YAML_MAX_ALIASES: '7',
    });
    expect(config).toEqual({
      port: 8080, host: '127.0.0.1', databaseUrl: 'postgresql://u@h:5432/db', embeddedDataDir: '/var/lib/x',
      embeddedPort: 5555, logLevel: 'debug', bodyLimitBytes: 2048, databasePoolMax: 5, shutdownTimeoutMs: 5000,
      importBodyLimitBytes: 4096, changeLogRetentionMs: 600_000, importMaxDocuments: 50, importMaxInFlight: 3, yamlMaxAliases: 7,
      security: expect.objectContaining({ tls: 'on', auth: 'on' }),
      leases: expect.objectContaining({ durationSeconds: 40 }),
    });
  });

  it('reads the lease variables, the renew interval following the duration unless set', () => {
    expect(loadConfig({}).leases).toEqual({
      durationSeconds: 40, renewIntervalSeconds: 10, deregisterAfterSeconds: 300, maxExpiryFraction: 0.5, deletesPerSecond: 20, flushDelayMs: 2, outageGapSeconds: 5,
    });
    expect(loadConfig({
      LEASE_DURATION_SECONDS: '8', LEASE_DEREGISTER_AFTER_SECONDS: '0', LEASE_MAX_EXPIRY_FRACTION: '0.8', LEASE_DELETES_PER_SECOND: '0.5',
      LEASE_FLUSH_DELAY_MS: '0', LEASE_OUTAGE_GAP_SECONDS: '1',
    }).leases).toEqual({ durationSeconds: 8, renewIntervalSeconds: 2, deregisterAfterSeconds: 0, maxExpiryFraction: 0.8, deletesPerSecond: 0.5, flushDelayMs: 0, outageGapSeconds: 1 });
  });

  it.each([
    [{ PORT: 'abc' }, /PORT must be an integer number \(got "abc"\)/],
    [{ PORT: '70000' }, /PORT must not be greater than 65535/],
    [{ LOG_LEVEL: 'loud' }, /LOG_LEVEL must be one of the following values/],
    [{ DATABASE_URL: 'mysql://x' }, /DATABASE_URL must be a postgresql:\/\/ connection URL/],
    [{ BODY_LIMIT_BYTES: '10' }, /BODY_LIMIT_BYTES must not be less than 1024/],
    [{ CHANGE_LOG_RETENTION_SECONDS: '5' }, /CHANGE_LOG_RETENTION_SECONDS must not be less than 60/],
    [{ IMPORT_MAX_DOCUMENTS: '0' }, /IMPORT_MAX_DOCUMENTS must not be less than 1/],
    [{ IMPORT_MAX_IN_FLIGHT: 'many' }, /IMPORT_MAX_IN_FLIGHT must be an integer number/],
    [{ YAML_MAX_ALIASES: '-1' }, /YAML_MAX_ALIASES must not be less than 0/],
    [{ LEASE_DURATION_SECONDS: '0' }, /LEASE_DURATION_SECONDS must not be less than 1/],
    [{ LEASE_MAX_EXPIRY_FRACTION: '1.5' }, /LEASE_MAX_EXPIRY_FRACTION must not be greater than 1/],
    [{ LEASE_DURATION_SECONDS: '10', LEASE_RENEW_INTERVAL_SECONDS: '10' }, /LEASE_RENEW_INTERVAL_SECONDS \(10\) must be shorter than LEASE_DURATION_SECONDS \(10\)/],
  ])('rejects %j', (env, message) => {
    expect(() => loadConfig(env)).toThrow(message);
  });

  it('names every bad variable in one error', () => {
    try {
      loadConfig({ PORT: 'x', LOG_LEVEL: 'y' });
      throw new Error('expected a ConfigError');
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigError);
      expect((error as ConfigError).problems).toHaveLength(2);
      expect((error as Error).message).toMatch(/PORT.*; .*LOG_LEVEL/);
    }
  });
});
