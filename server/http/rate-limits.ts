import { RateLimiterMemory, RateLimiterRes } from 'rate-limiter-flexible';
import type { RateLimitConfig } from '../config';
import { ApiError } from './api-error';

/**
 * Fixed-window limits per route, one budget per client address and one per license key or device
 * id. Kept in this process's memory: run one server process, or put the limits in a shared store.
 */
export class RateLimits {
  private readonly perIp: RateLimiterMemory;
  private readonly perKey: RateLimiterMemory;

  constructor(config: RateLimitConfig) {
    this.perIp = new RateLimiterMemory({ points: config.perIp, duration: config.windowSeconds });
    this.perKey = new RateLimiterMemory({ points: config.perKey, duration: config.windowSeconds });
  }

  checkAddress(route: string, address: string): Promise<void> {
    return consume(this.perIp, `${route}:${address}`);
  }

  checkKey(route: string, key: string): Promise<void> {
    return consume(this.perKey, `${route}:${key}`);
  }
}

async function consume(limiter: RateLimiterMemory, key: string): Promise<void> {
  try {
    await limiter.consume(key);
  } catch (rejection) {
    if (!(rejection instanceof RateLimiterRes)) throw rejection;
    const seconds = Math.max(1, Math.ceil(rejection.msBeforeNext / 1000));
    throw new ApiError(
      429,
      'RATE_LIMITED',
      `Too many requests; try again in ${seconds} s.`,
      {},
      { 'Retry-After': String(seconds) },
    );
  }
}
