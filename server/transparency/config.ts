import { resolve } from 'node:path';
import type { EnvReader } from '../env.ts';
import { ACTIVATION_LAPSE_DAYS, TRIAL_BLOCK_PERIOD_DAYS } from '../licensing/plans.ts';

/** The retention rules, the retention job's schedule and the transparency report's period. */
export interface TransparencyConfig {
  /** Days after a trial ended before its row is deleted; the device could then start another trial. */
  trialDays: number;
  /** Days without a check-in before a device's activation is deleted. */
  staleDeviceDays: number;
  /** Days an audit row is kept. */
  auditDays: number;
  /** How often each instance runs the retention job (it also runs at start). */
  jobIntervalMinutes: number;
  /** A new report is made once the latest one is this old. */
  reportPeriodHours: number;
  /** The build manifest whose SHA-256 the reports carry (the app this server serves). */
  buildManifestPath: string;
}

export const DEFAULT_TRANSPARENCY: TransparencyConfig = {
  trialDays: 90,
  staleDeviceDays: 90,
  auditDays: 730,
  jobIntervalMinutes: 60,
  reportPeriodHours: 24,
  buildManifestPath: resolve('dist/build-manifest.json'),
};

/** Reads the DOPPEL_RETAIN_* and transparency variables; problems go to `read` like every other. */
export function readTransparencyConfig(read: EnvReader): TransparencyConfig {
  const defaults = DEFAULT_TRANSPARENCY;
  const manifest = read.text('DOPPEL_BUILD_MANIFEST');
  return {
    // A trial's address-block hash counts for TRIAL_BLOCK_PERIOD_DAYS from its start: keep it that long.
    trialDays: read.integer('DOPPEL_RETAIN_TRIALS_DAYS', defaults.trialDays, TRIAL_BLOCK_PERIOD_DAYS, 3650),
    // Before ACTIVATION_LAPSE_DAYS the device still holds its license.
    staleDeviceDays: read.integer(
      'DOPPEL_RETAIN_STALE_DEVICES_DAYS',
      defaults.staleDeviceDays,
      ACTIVATION_LAPSE_DAYS,
      3650,
    ),
    auditDays: read.integer('DOPPEL_RETAIN_AUDIT_DAYS', defaults.auditDays, 30, 36500),
    jobIntervalMinutes: read.integer(
      'DOPPEL_RETENTION_INTERVAL_MINUTES',
      defaults.jobIntervalMinutes,
      1,
      1440,
    ),
    reportPeriodHours: read.integer('DOPPEL_TRANSPARENCY_PERIOD_HOURS', defaults.reportPeriodHours, 1, 744),
    buildManifestPath: manifest ? resolve(manifest) : defaults.buildManifestPath,
  };
}
