import { createHmac } from 'node:crypto';
import { sql } from 'kysely';
import type { RateLimitConfig } from '../config';
import type { Db } from '../db/database';
import { ApiError } from './api-error';
import { rateLimitSubject } from './address-block';

/** Expired counters are deleted once every this many checks, by the instance that makes the check. */
const SWEEP_EVERY = 1000;

/**
 * Fixed-window limits per route (a window opens at a budget's first request), one budget per client address (an IPv6 address's /64) and one per
 * license key or device id. The counters live in the database (table rate_limits), so every
 * instance spends from the same budget and a restart resets nothing; windows follow the database's
 * clock, not each instance's. Counters are named by HMAC(pepper, route, budget, value): no address,
 * key or device id is stored. Both budgets are spent in one statement.
 *
 * Not rate-limiter-flexible's RateLimiterPostgres: it needs a pg Pool or Client (PGlite's query API
 * differs), creates its own table outside our migrations (no row-level security), takes expiry from
 * each instance's clock, and spends each budget in its own round trip.
 */
export class RateLimits {
  private checks = 0;

  constructor(
    private readonly db: Db,
    private readonly pepper: Buffer,
    private readonly config: RateLimitConfig,
  ) {}

  /** Spends one request of `route` from the address's budget and, when given, the key's; 429 when either is spent. */
  async check(route: string, address: string, key?: string): Promise<void> {
    const budgets = [
      { name: this.counter(route, 'address', rateLimitSubject(address)), limit: this.config.perIp },
    ];
    if (key !== undefined) budgets.push({ name: this.counter(route, 'key', key), limit: this.config.perKey });
    const seconds = this.config.windowSeconds;
    const current = sql<boolean>`rate_limits.window_start > now() - make_interval(secs => ${seconds}::int)`;
    const rows = await this.db
      .insertInto('rate_limits')
      .values(budgets.map(({ name }) => ({ key: name, window_start: sql<Date>`now()`, points: 1 })))
      .onConflict((conflict) =>
        conflict.column('key').doUpdateSet({
          points: sql<number>`case when ${current} then rate_limits.points + 1 else 1 end`,
          window_start: sql<Date>`case when ${current} then rate_limits.window_start else now() end`,
        }),
      )
      .returning([
        'key',
        'points',
        sql<number>`ceil(extract(epoch from window_start + make_interval(secs => ${seconds}::int) - now()))::int`.as(
          'seconds_left',
        ),
      ])
      .execute();
    if (++this.checks % SWEEP_EVERY === 0) await this.sweep();
    const spent = rows.find((row) => row.points > budgets.find((budget) => budget.name === row.key)!.limit);
    if (spent) {
      const retry = Math.max(1, spent.seconds_left);
      throw new ApiError(
        429,
        'RATE_LIMITED',
        `Too many requests; try again in ${retry} s.`,
        {},
        { 'Retry-After': String(retry) },
      );
    }
  }

  private counter(route: string, budget: 'address' | 'key', value: string): string {
    return createHmac('sha256', this.pepper).update(`${route}\n${budget}\n${value}`).digest('base64url');
  }

  private async sweep(): Promise<void> {
    await this.db
      .deleteFrom('rate_limits')
      .where('window_start', '<', sql<Date>`now() - make_interval(secs => ${this.config.windowSeconds}::int)`)
      .execute();
  }
}
