import type { KeyObject } from 'node:crypto';
import type Stripe from 'stripe';
import type { ServerConfig, StripeConfig } from './config';
import type { Db } from './db/database';
import type { RateLimits } from './http/rate-limits';
import type { LicenseFiles } from './licensing/license-file-cache';
import type { TransparencyConfig } from './transparency/config';

/** What the routes share: the database, the secrets, the limits and the clock. */
export interface AppDeps {
  db: Db;
  signingKey: KeyObject;
  pepper: Buffer;
  config: Pick<
    ServerConfig,
    'trustedProxies' | 'appOrigins' | 'securityContact' | 'securityTxtExpires' | 'limits'
  >;
  now: () => Date;
  /** Null when Stripe is not configured: checkout answers 503 and webhooks 503. */
  stripe: StripeDeps | null;
  /** Retention rules and report period; DEFAULT_TRANSPARENCY when not given. */
  transparency?: TransparencyConfig;
}

export interface StripeDeps {
  client: Stripe;
  config: StripeConfig;
}

export interface RouteDeps extends AppDeps {
  limits: RateLimits;
  licenseFiles: LicenseFiles;
}
