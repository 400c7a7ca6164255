import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../server/config';

describe('the environment', () => {
  it('uses the defaults for unset variables', () => {
    const config = loadConfig({});
    expect(config.port).toBe(8787);
    expect(config.limits).toMatchObject({ perIp: 60, perKey: 10 });
    expect(config.trustedProxies).toBe(0);
    expect(config.limits.trialsPerBlock).toBe(3);
    expect(config.securityTxtExpires).toBeNull();
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
      ['DOPPEL_TRUST_PROXY', '1'],
      ['DOPPEL_TRUSTED_PROXIES', 'yes'],
      ['DOPPEL_TRUSTED_PROXIES', ''],
      ['DOPPEL_TRUSTED_PROXIES', '11'],
      ['DOPPEL_TRIALS_PER_ADDRESS_BLOCK', '0'],
      ['DOPPEL_SECURITY_TXT_EXPIRES', '2099-01-01'],
      ['DOPPEL_SECURITY_TXT_EXPIRES', 'next year'],
      ['DOPPEL_SECURITY_TXT_EXPIRES', '2020-01-01T00:00:00Z'],
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
      DOPPEL_TRUSTED_PROXIES: '2',
      DOPPEL_SECURITY_TXT_EXPIRES: '2099-06-30T00:00:00+02:00',
      DOPPEL_APP_ORIGINS: 'https://app.example,http://localhost:5173',
      DATABASE_URL: 'postgresql://user@db.example:5432/doppel',
    });
    expect(config).toMatchObject({ port: 0, trustedProxies: 2, limits: { perIp: 120 } });
    expect(config.securityTxtExpires?.toISOString()).toBe('2099-06-29T22:00:00.000Z');
    expect(config.appOrigins).toEqual(['https://app.example', 'http://localhost:5173']);
  });
});

describe('production', () => {
  const secured = {
    NODE_ENV: 'production',
    DOPPEL_SIGNING_KEY: 'k',
    DOPPEL_DEVICE_PEPPER: 'p',
    DOPPEL_SECURITY_CONTACT: 'mailto:security@example.com',
    DOPPEL_SECURITY_TXT_EXPIRES: '2099-01-01T00:00:00Z',
  };

  it('refuses to start without the release configuration of security.txt', () => {
    const unset = { ...secured, DATABASE_URL: 'postgres://db.example/doppel' } as NodeJS.ProcessEnv;
    delete unset.DOPPEL_SECURITY_TXT_EXPIRES;
    expect(() => loadConfig(unset)).toThrow(/without DOPPEL_SECURITY_TXT_EXPIRES/);
  });

  it('refuses PGlite unless DOPPEL_ALLOW_PGLITE_IN_PRODUCTION=1', () => {
    expect(() => loadConfig(secured)).toThrow(/DOPPEL_ALLOW_PGLITE_IN_PRODUCTION=1/);
    expect(loadConfig({ ...secured, DOPPEL_ALLOW_PGLITE_IN_PRODUCTION: '1' }).databaseUrl).toBeUndefined();
    expect(loadConfig({ ...secured, DATABASE_URL: 'postgres://db.example/doppel' }).databaseUrl).toBe(
      'postgres://db.example/doppel',
    );
  });
});
