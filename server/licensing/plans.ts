/** What each plan unlocks, and the time rules we sell on. */
export const PAID_PLANS = ['pro'] as const;
export type PaidPlan = (typeof PAID_PLANS)[number];
export type FilePlan = 'trial' | PaidPlan;
export type Plan = 'free' | FilePlan;

const FREE_ENTITLEMENTS = ['image-swap'];
const FULL_ENTITLEMENTS = [...FREE_ENTITLEMENTS, 'neural-engine', 'video', 'gif', 'live-camera', 'batch-cli'];

export const ENTITLEMENTS: Record<Plan, readonly string[]> = {
  free: FREE_ENTITLEMENTS,
  trial: FULL_ENTITLEMENTS,
  pro: FULL_ENTITLEMENTS,
};

const DAY_MS = 24 * 60 * 60 * 1000;
export const TRIAL_DAYS = 7;
/** A license file works offline this long; the app refreshes it when online. */
export const LICENSE_FILE_DAYS = 30;
/** A forced takeover from a new device is possible at most once in this many days. */
export const TAKEOVER_INTERVAL_DAYS = 30;

export function addDays(date: Date, days: number): Date {
  return new Date(date.getTime() + days * DAY_MS);
}
