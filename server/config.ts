import { resolve } from 'node:path';
import { EnvReader } from './env.ts';
import { TRIALS_PER_ADDRESS_BLOCK } from './licensing/plans.ts';
import { readTransparencyConfig, type TransparencyConfig } from './transparency/config.ts';

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
  /**
   * How many proxies in front of the server append to X-Forwarded-For (0: the socket's peer is the
   * client). See server/http/client-address.ts.
   */
  trustedProxies: number;
  /** Origins allowed to call the API from a browser when it is not served from the app's origin. */
  appOrigins: string[];
  securityContact: string;
  /** security.txt's `Expires`, from the release configuration; null: security.txt answers 404. */
  securityTxtExpires: Date | null;
  limits: RateLimitConfig;
  stripe: StripeConfig | null;
  /** Retention rules and the transparency report (server/transparency/config.ts). */
  transparency: TransparencyConfig;
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
  /** Trials one address block (IPv4 /24, IPv6 /64) may start per TRIAL_BLOCK_PERIOD_DAYS. */
  trialsPerBlock: number;
}

export const BODY_LIMIT_BYTES = 16 * 1024;
/** Stripe's event objects can be larger than our own requests. */
export const WEBHOOK_BODY_LIMIT_BYTES = 512 * 1024;

/** Reads and checks the environment; an empty or invalid value is an error naming the variable. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): ServerConfig {
  const production = env.NODE_ENV === 'production';
  const read = new EnvReader(env);
  const port = read.integer('PORT', 8787, 0, 65535);
  const appOrigins = (read.text('DOPPEL_APP_ORIGINS') ?? '').split(',').filter(Boolean);
  for (const origin of appOrigins) {
    if (!URL.canParse(origin) || new URL(origin).origin !== origin) {
      read.problems.push(
        `DOPPEL_APP_ORIGINS holds "${origin}", which is not an origin such as https://app.example`,
      );
    }
  }
  if (env.DOPPEL_TRUST_PROXY !== undefined) {
    read.problems.push(
      'DOPPEL_TRUST_PROXY is replaced by DOPPEL_TRUSTED_PROXIES, the number of proxies in front of the server (1 for one)',
    );
  }
  const stripeSecretKey = read.text('STRIPE_SECRET_KEY');
  const stripeWebhookSecret = read.text('STRIPE_WEBHOOK_SECRET');
  const stripePricePro = read.text('STRIPE_PRICE_PRO');
  const appUrl = read.url('DOPPEL_APP_URL', ['http:', 'https:']);
  const stripeVariables = {
    STRIPE_SECRET_KEY: stripeSecretKey,
    STRIPE_WEBHOOK_SECRET: stripeWebhookSecret,
    STRIPE_PRICE_PRO: stripePricePro,
  };
  const stripeMissing = Object.keys(stripeVariables).filter((name) => env[name] === undefined);
  if (stripeMissing.length > 0 && stripeMissing.length < 3) {
    read.problems.push(
      `${stripeMissing.join(', ')} must be set too, to sell through Stripe (or unset all three)`,
    );
  }
  const config: ServerConfig = {
    production,
    port,
    dataDir: resolve(read.text('DOPPEL_DATA_DIR') ?? '.data'),
    databaseUrl: read.url('DATABASE_URL', ['postgres:', 'postgresql:']),
    signingKey: read.text('DOPPEL_SIGNING_KEY'),
    devicePepper: read.text('DOPPEL_DEVICE_PEPPER'),
    trustedProxies: read.integer('DOPPEL_TRUSTED_PROXIES', 0, 0, 10),
    appOrigins,
    securityContact: read.text('DOPPEL_SECURITY_CONTACT') ?? 'mailto:security@example.com',
    securityTxtExpires: read.futureDate('DOPPEL_SECURITY_TXT_EXPIRES') ?? null,
    limits: {
      perIp: read.integer('DOPPEL_RATE_LIMIT_PER_IP', 60, 1, 1_000_000),
      perKey: read.integer('DOPPEL_RATE_LIMIT_PER_KEY', 10, 1, 1_000_000),
      windowSeconds: 60,
      trialsPerBlock: read.integer('DOPPEL_TRIALS_PER_ADDRESS_BLOCK', TRIALS_PER_ADDRESS_BLOCK, 1, 1_000_000),
    },
    stripe:
      stripeSecretKey && stripeWebhookSecret && stripePricePro
        ? {
            secretKey: stripeSecretKey,
            webhookSecret: stripeWebhookSecret,
            pricePro: stripePricePro,
            appUrl: appUrl ?? `http://localhost:${env.PORT ?? 4173}`,
          }
        : null,
    transparency: readTransparencyConfig(read),
  };
  const allowPglite = read.flag('DOPPEL_ALLOW_PGLITE_IN_PRODUCTION');
  read.check();
  if (production) {
    const missing = [
      ['DOPPEL_SIGNING_KEY', config.signingKey],
      ['DOPPEL_DEVICE_PEPPER', config.devicePepper],
      ['DOPPEL_SECURITY_CONTACT', env.DOPPEL_SECURITY_CONTACT],
      ['DOPPEL_SECURITY_TXT_EXPIRES', config.securityTxtExpires],
    ]
      .filter(([, value]) => !value)
      .map(([name]) => name);
    if (missing.length > 0) {
      throw new Error(
        `Refusing to start in production without ${missing.join(', ')}; set them in the environment.`,
      );
    }
    if (!config.databaseUrl && !allowPglite) {
      throw new Error(
        'Refusing to start in production on PGlite (one process, one directory): set DATABASE_URL to a PostgreSQL server, or DOPPEL_ALLOW_PGLITE_IN_PRODUCTION=1 to run on PGlite anyway.',
      );
    }
  }
  return config;
}
