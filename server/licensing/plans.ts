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
/**
 * A license file works offline this long; validate (the app's heartbeat) renews it whenever the app
 * is online. Short, so a license moved or deactivated without the device's proof stops working
 * offline on the old device within a week; long enough for a week away from any network. See
 * server/README.md, "Device binding".
 */
export const LICENSE_FILE_DAYS = 7;
/**
 * A device that has not checked in for this long no longer holds its license: any other device may
 * activate it. Its last file (issued at its last check-in, at most a touch interval earlier than
 * last_seen_at records) has expired by then, so no two devices hold working files.
 */
export const ACTIVATION_LAPSE_DAYS = LICENSE_FILE_DAYS + 1;
/** validate records a check-in at most this often per device, so the heartbeat is a read. */
export const CHECK_IN_INTERVAL_MINUTES = 10;
/**
 * A forced takeover from a new device (or a deactivation without the device's proof) is possible at
 * most once in this many days.
 */
export const TAKEOVER_INTERVAL_DAYS = 30;

/** Trials one address block (IPv4 /24, IPv6 /64) may start per TRIAL_BLOCK_PERIOD_DAYS, unless configured. */
export const TRIALS_PER_ADDRESS_BLOCK = 3;
/** The trial-limit period; a trial's address-block hash is cleared once it is over. */
export const TRIAL_BLOCK_PERIOD_DAYS = 30;

export function addDays(date: Date, days: number): Date {
  return new Date(date.getTime() + days * DAY_MS);
}
