import { ConfigError, loadConfig } from './app-config';

const TOKEN = `mr_abc123.${'A'.repeat(43)}`;

describe('the security configuration', () => {
  it('serves TLS with authentication by default, data in .data next to the embedded PostgreSQL', () => {
    const { security } = loadConfig({});
    expect(security).toMatchObject({ tls: 'on', auth: 'on', tlsSans: [], adminToken: undefined });
    expect(security.dataDir).toMatch(/\/\.data\/registry$/);
    expect(security.rateLimits).toEqual({ readsPerSecond: 200, writesPerSecond: 50, heartbeatsPerSecond: 500, unauthenticatedPerSecond: 20, watchesPerToken: 50 });
  });

  it('reads every variable', () => {
    const { security } = loadConfig({
      HOST: '127.0.0.1', TLS: 'OFF', AUTH: 'on', DATA_DIR: '/var/lib/mr', REGISTRY_ADMIN_TOKEN: TOKEN, TLS_SANS: 'registry.example.com,10.1.2.3',
      PUBLIC_URL: 'https://registry.example.com:3000', RATE_LIMIT_READS_PER_SECOND: '1', RATE_LIMIT_WRITES_PER_SECOND: '2',
      RATE_LIMIT_HEARTBEATS_PER_SECOND: '3', RATE_LIMIT_UNAUTHENTICATED_PER_SECOND: '0', WATCHES_PER_TOKEN: '4',
    });
    expect(security).toMatchObject({
      tls: 'off', auth: 'on', dataDir: '/var/lib/mr', adminToken: TOKEN, tlsSans: ['registry.example.com', '10.1.2.3'], publicUrl: 'https://registry.example.com:3000',
      rateLimits: { readsPerSecond: 1, writesPerSecond: 2, heartbeatsPerSecond: 3, unauthenticatedPerSecond: 0, watchesPerToken: 4 },
    });
  });

  it.each([
    [{ TLS: 'maybe' }, /TLS must be "on" or "off"/],
    [{ AUTH: 'no' }, /AUTH must be "on" or "off"/],
    [{ TLS_CERT_FILE: '/x.pem' }, /TLS_CERT_FILE and TLS_KEY_FILE must be set together/],
    [{ REGISTRY_ADMIN_TOKEN: 'hunter2' }, /REGISTRY_ADMIN_TOKEN must look like mr_/],
    [{ TLS_SANS: 'a b' }, /TLS_SANS must be a comma-separated list/],
    [{ RATE_LIMIT_WRITES_PER_SECOND: '-1' }, /RATE_LIMIT_WRITES_PER_SECOND must not be less than 0/],
    [{ TLS: 'off' }, /TLS=off with authentication on needs HOST on a loopback address .* got "0\.0\.0\.0"/],
    [{ TLS: 'off', HOST: '10.0.0.1' }, /TLS=off with authentication on needs HOST on a loopback address/],
  ])('refuses %j', (env, message) => {
    expect(() => loadConfig(env)).toThrow(ConfigError);
    expect(() => loadConfig(env)).toThrow(message);
  });

  it.each([
    [{ TLS: 'off', HOST: '127.0.0.1' }],
    [{ TLS: 'off', HOST: '::1' }],
    [{ TLS: 'off', HOST: 'localhost' }],
    [{ TLS: 'off', AUTH: 'off' }],
  ])('allows plain HTTP with %j', (env) => {
    expect(loadConfig(env).security.tls).toBe('off');
  });

  it('never echoes a bad admin token in full in the error', () => {
    expect(() => loadConfig({ REGISTRY_ADMIN_TOKEN: 'mr_abc123.short-secret' })).toThrow('(got a value of 22 characters)');
    expect(() => loadConfig({ REGISTRY_ADMIN_TOKEN: 'mr_abc123.short-secret' })).not.toThrow(/short-secret/);
  });
});
