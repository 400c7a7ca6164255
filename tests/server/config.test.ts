import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../server/config';

describe('the environment', () => {
  it('uses the defaults for unset variables', () => {
    const config = loadConfig({});
    expect(config.port).toBe(8787);
    expect(config.limits).toMatchObject({ perIp: 60, perKey: 10 });
    expect(config.trustProxy).toBe(false);
  });

  it('refuses an empty or invalid value at start, naming the variable', () => {
    const cases: [string, string][] = [
      ['DOPPEL_RATE_LIMIT_PER_IP', ''],
      ['DOPPEL_RATE_LIMIT_PER_IP', 'abc'],
      ['DOPPEL_RATE_LIMIT_PER_IP', '0'],
      ['DOPPEL_RATE_LIMIT_PER_KEY', '1.5'],
      ['DOPPEL_RATE_LIMIT_PER_KEY', '-3'],
      ['PORT', ''],
      ['PORT', '70000'],
      ['DOPPEL_DATA_DIR', ''],
      ['DATABASE_URL', ''],
      ['DATABASE_URL', 'mysql://db.example/doppel'],
      ['DOPPEL_TRUST_PROXY', 'yes'],
      ['DOPPEL_APP_ORIGINS', 'https://app.example/path'],
      ['DOPPEL_APP_URL', 'not a url'],
      ['DOPPEL_SECURITY_CONTACT', ' '],
      ['DOPPEL_SIGNING_KEY', ''],
      ['STRIPE_SECRET_KEY', ''],
      ['DOPPEL_ALLOW_PGLITE_IN_PRODUCTION', 'true'],
      ['DOPPEL_SECURITY_CONTACT', 'mailto:security@example.com\u0000'],
    ];
    for (const [name, value] of cases) {
      expect(() => loadConfig({ [name]: value }), `${name}=${value}`).toThrow(name);
    }
  });

  it('takes a PEM signing key with its line breaks', () => {
    const pem = '-----BEGIN PRIVATE KEY-----\nMC4CAQAwBQYDK2VwBCIEIA==\n-----END PRIVATE KEY-----\n';
    expect(() => loadConfig({ DOPPEL_SIGNING_KEY: pem })).not.toThrow();
  });

  it('refuses a Stripe configuration set in part', () => {
    expect(() => loadConfig({ STRIPE_SECRET_KEY: 'sk_test_x', STRIPE_PRICE_PRO: 'price_x' })).toThrow(
      'STRIPE_WEBHOOK_SECRET must be set too',
    );
    const full = {
      STRIPE_SECRET_KEY: 'sk_test_x',
      STRIPE_WEBHOOK_SECRET: 'whsec_x',
      STRIPE_PRICE_PRO: 'price_x',
    };
    expect(loadConfig(full).stripe).toMatchObject({ pricePro: 'price_x' });
  });

  it('names every bad variable at once', () => {
    expect(() => loadConfig({ PORT: 'x', DOPPEL_RATE_LIMIT_PER_IP: '' })).toThrow(
      /PORT .*; DOPPEL_RATE_LIMIT_PER_IP/,
    );
  });

  it('accepts valid values', () => {
    const config = loadConfig({
      PORT: '0',
      DOPPEL_RATE_LIMIT_PER_IP: '120',
      DOPPEL_TRUST_PROXY: '1',
      DOPPEL_APP_ORIGINS: 'https://app.example,http://localhost:5173',
      DATABASE_URL: 'postgresql://user@db.example:5432/doppel',
    });
    expect(config).toMatchObject({ port: 0, trustProxy: true, limits: { perIp: 120 } });
    expect(config.appOrigins).toEqual(['https://app.example', 'http://localhost:5173']);
  });
});

describe('production', () => {
  const secured = {
    NODE_ENV: 'production',
    DOPPEL_SIGNING_KEY: 'k',
    DOPPEL_DEVICE_PEPPER: 'p',
    DOPPEL_SECURITY_CONTACT: 'mailto:security@example.com',
  };

  it('refuses PGlite unless DOPPEL_ALLOW_PGLITE_IN_PRODUCTION=1', () => {
    expect(() => loadConfig(secured)).toThrow(/DOPPEL_ALLOW_PGLITE_IN_PRODUCTION=1/);
    expect(loadConfig({ ...secured, DOPPEL_ALLOW_PGLITE_IN_PRODUCTION: '1' }).databaseUrl).toBeUndefined();
    expect(loadConfig({ ...secured, DATABASE_URL: 'postgres://db.example/doppel' }).databaseUrl).toBe(
      'postgres://db.example/doppel',
    );
  });
});
