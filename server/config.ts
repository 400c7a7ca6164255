import { resolve } from 'node:path';

/** Everything the server reads from the environment, with development defaults. */
export interface ServerConfig {
  production: boolean;
  port: number;
  /** Where PGlite keeps its files and where development secrets are generated. */
  dataDir: string;
  /** A Postgres connection string; when set, PGlite is not used. */
  databaseUrl: string | undefined;
  /** Ed25519 private key, PKCS8 as PEM or base64 DER. */
  signingKey: string | undefined;
  /** Secret for HMAC(pepper, device id), base64, at least 32 bytes. */
  devicePepper: string | undefined;
  /** Take the client address from X-Forwarded-For (only behind a proxy that sets it). */
  trustProxy: boolean;
  /** Origins allowed to call the API from a browser when it is not served from the app's origin. */
  appOrigins: string[];
  securityContact: string;
  limits: RateLimitConfig;
  stripe: StripeConfig | null;
}

/** Set all of STRIPE_SECRET_KEY, STRIPE_WEBHOOK_SECRET and STRIPE_PRICE_PRO to sell through Stripe. */
export interface StripeConfig {
  secretKey: string;
  webhookSecret: string;
  pricePro: string;
  /** Where Checkout sends the buyer back: the app's public URL. */
  appUrl: string;
}

export interface RateLimitConfig {
  /** Requests per window per client address, per rate-limited route. */
  perIp: number;
  /** Requests per window per license key or device id, per rate-limited route. */
  perKey: number;
  windowSeconds: number;
}

export const BODY_LIMIT_BYTES = 16 * 1024;
/** Stripe's event objects can be larger than our own requests. */
export const WEBHOOK_BODY_LIMIT_BYTES = 512 * 1024;

export function loadConfig(env: NodeJS.ProcessEnv = process.env): ServerConfig {
  const production = env.NODE_ENV === 'production';
  const config: ServerConfig = {
    production,
    port: Number(env.PORT ?? 8787),
    dataDir: resolve(env.DOPPEL_DATA_DIR ?? '.data'),
    databaseUrl: env.DATABASE_URL || undefined,
    signingKey: env.DOPPEL_SIGNING_KEY || undefined,
    devicePepper: env.DOPPEL_DEVICE_PEPPER || undefined,
    trustProxy: env.DOPPEL_TRUST_PROXY === '1',
    appOrigins: (env.DOPPEL_APP_ORIGINS ?? '').split(',').filter(Boolean),
    securityContact: env.DOPPEL_SECURITY_CONTACT ?? 'mailto:security@example.com',
    limits: {
      perIp: Number(env.DOPPEL_RATE_LIMIT_PER_IP ?? 60),
      perKey: Number(env.DOPPEL_RATE_LIMIT_PER_KEY ?? 10),
      windowSeconds: 60,
    },
    stripe:
      env.STRIPE_SECRET_KEY && env.STRIPE_WEBHOOK_SECRET && env.STRIPE_PRICE_PRO
        ? {
            secretKey: env.STRIPE_SECRET_KEY,
            webhookSecret: env.STRIPE_WEBHOOK_SECRET,
            pricePro: env.STRIPE_PRICE_PRO,
            appUrl: env.DOPPEL_APP_URL ?? `http://localhost:${env.PORT ?? 4173}`,
          }
        : null,
  };
  if (production) {
    const missing = [
      ['DOPPEL_SIGNING_KEY', config.signingKey],
      ['DOPPEL_DEVICE_PEPPER', config.devicePepper],
      ['DOPPEL_SECURITY_CONTACT', env.DOPPEL_SECURITY_CONTACT],
    ]
      .filter(([, value]) => !value)
      .map(([name]) => name);
    if (missing.length > 0) {
      throw new Error(
        `Refusing to start in production without ${missing.join(', ')}; set them in the environment.`,
      );
    }
  }
  return config;
}
