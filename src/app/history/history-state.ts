import { signal } from '@preact/signals';
import { z } from 'zod';
import { toDoppelError, type DoppelError } from '../../shared/errors';
import { readyEngine } from '../state/engine';
import { onResult, type SwapOutcome } from '../state/swap';
import { addResult, deleteAllResults, deleteOlderThan, deleteResult, listResults } from './history-db';

/** Retention windows the user can choose, in minutes. */
export const retentionChoices = [
  { minutes: 10, label: '10 minutes' },
  { minutes: 30, label: '30 minutes' },
  { minutes: 120, label: '2 hours' },
  { minutes: 1440, label: '1 day' },
] as const;

export interface HistorySettings {
  /** Off by default: nothing is kept unless the user asks. */
  enabled: boolean;
  retentionMinutes: number;
}

const settingsKey = 'doppel.history';
const defaults: HistorySettings = { enabled: false, retentionMinutes: 30 };
/** How often expired results are looked for while the app is open. */
const sweepEveryMs = 30_000;

/** What was saved, each value checked; anything else takes its default (history stays off). */
const savedSettings = z
  .object({
    enabled: z.boolean().catch(defaults.enabled),
    retentionMinutes: z
      .literal(retentionChoices.map((c): number => c.minutes))
      .catch(defaults.retentionMinutes),
  })
  .catch(defaults);

function readSettings(): HistorySettings {
  try {
    return savedSettings.parse(JSON.parse(localStorage.getItem(settingsKey) ?? '{}'));
  } catch {
    return { ...defaults };
  }
}

export const historySettings = signal<HistorySettings>(readSettings());

export interface KeptView {
  id: number;
  createdAt: number;
  name: string;
  width: number;
  height: number;
  /** Object URL of the PNG (revoked when the list changes). */
  url: string;
}

/** The kept results, newest first. */
export const kept = signal<KeptView[]>([]);
export const historyError = signal<DoppelError | null>(null);

function showList(entries: Awaited<ReturnType<typeof listResults>>): void {
  for (const old of kept.value) URL.revokeObjectURL(old.url);
  kept.value = entries.map(({ png, ...rest }) => ({ ...rest, url: URL.createObjectURL(png) }));
}

/** Deletes expired results (all of them when history is off) and shows what is left. */
export async function sweepHistory(): Promise<void> {
  const { enabled, retentionMinutes } = historySettings.value;
  if (!enabled) {
    if (kept.value.length > 0) showList([]);
    return;
  }
  try {
    await deleteOlderThan(Date.now() - retentionMinutes * 60_000);
    showList(await listResults());
  } catch (error) {
    historyError.value = toDoppelError(error);
  }
}

function save(settings: HistorySettings): void {
  historySettings.value = settings;
  localStorage.setItem(settingsKey, JSON.stringify(settings));
}

/** Turning history off deletes everything kept. */
export async function setHistoryEnabled(enabled: boolean): Promise<void> {
  save({ ...historySettings.value, enabled });
  if (!enabled) await deleteAllResults();
  await sweepHistory();
}

export async function setRetention(minutes: number): Promise<void> {
  save({ ...historySettings.value, retentionMinutes: minutes });
  await sweepHistory();
}

export async function deleteAllNow(): Promise<void> {
  await deleteAllResults();
  await sweepHistory();
}

export async function deleteKept(id: number): Promise<void> {
  await deleteResult(id);
  await sweepHistory();
}

/** What local history did with the latest finished swap: kept it or not (shown on the result). */
export const lastKept = signal<{ resultId: string; kept: boolean } | null>(null);

/** Keeps a finished swap's PNG (from the engine) when the user opted in. */
async function keepResult(outcome: SwapOutcome): Promise<void> {
  const decide = (kept: boolean) => (lastKept.value = { resultId: outcome.resultId, kept });
  if (!historySettings.value.enabled) return void decide(false);
  try {
    const engine = await readyEngine();
    const png = await engine.encode(outcome.resultId, 'png');
    if (!historySettings.value.enabled) return void decide(false);
    await addResult({
      createdAt: Date.now(),
      name: outcome.targetName,
      width: outcome.width,
      height: outcome.height,
      png,
    });
    decide(true);
    await sweepHistory();
  } catch (error) {
    decide(false);
    historyError.value = toDoppelError(error);
  }
}

onResult.push((outcome) => void keepResult(outcome));

/** Deletes expired results now and every 30 s; returns the stop function. */
export function startHistory(): () => void {
  void sweepHistory();
  const timer = setInterval(() => void sweepHistory(), sweepEveryMs);
  return () => clearInterval(timer);
}
