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
    });
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
