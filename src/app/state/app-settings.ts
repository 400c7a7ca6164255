import { signal } from '@preact/signals';
import { z } from 'zod';
import { defaultConfig, type BackendChoice } from '../../shared/config';
import type { VideoQuality } from '../../workers/engine/api';

/** Quality against speed, for video output and the live camera. */
export type Preset = 'speed' | 'balanced' | 'quality';

/** The Settings screen's choices, kept in localStorage (`doppel.settings`). */
export interface AppSettings {
  /** Where the face models run; `?backend=` in the address wins over it. */
  backend: BackendChoice;
  video: Preset;
  live: Preset;
  /**
   * WebAssembly threads: 'auto' (all the processor's cores, as the engine picks when none is asked)
   * or a count. Threads need a cross-origin isolated page; a change applies after a reload.
   */
  threads: ThreadsChoice;
}

export type ThreadsChoice = 'auto' | number;

export const presets: readonly Preset[] = ['speed', 'balanced', 'quality'];

export const defaultAppSettings: AppSettings = {
  backend: defaultConfig.backend,
  video: 'balanced',
  live: 'balanced',
  threads: 'auto',
};

/** A video preset's output quality (the Video screen starts from it). */
export const videoQualityOf: Record<Preset, VideoQuality> = {
  speed: 'low',
  balanced: 'medium',
  quality: 'high',
};

/** A live preset's camera size, asked as the camera's ideal (it may give less). */
export const cameraSizeOf: Record<Preset, { width: number; height: number }> = {
  speed: { width: 640, height: 360 },
  balanced: { width: 1280, height: 720 },
  quality: { width: 1920, height: 1080 },
};

const storageKey = 'doppel.settings';
const d = defaultAppSettings;

const savedAppSettings = z
  .object({
    backend: z.enum(['auto', 'webgpu', 'wasm']).catch(d.backend),
    video: z.literal(presets).catch(d.video),
    live: z.literal(presets).catch(d.live),
    threads: z.union([z.literal('auto'), z.number().int().min(1).max(1024)]).catch(d.threads),
  })
  .catch(d);

function readAppSettings(): AppSettings {
  try {
    return savedAppSettings.parse(JSON.parse(localStorage.getItem(storageKey) ?? '{}'));
  } catch {
    return d;
  }
}

export const appSettings = signal<AppSettings>(readAppSettings());

export function changeAppSettings(change: Partial<AppSettings>): void {
  appSettings.value = { ...appSettings.value, ...change };
  try {
    localStorage.setItem(storageKey, JSON.stringify(appSettings.value));
  } catch {
    // Storage can be disabled; the choice then lasts for this visit only.
  }
}

/** Back to the defaults, and nothing left saved. */
export function resetAppSettings(): void {
  appSettings.value = d;
  try {
    localStorage.removeItem(storageKey);
  } catch {
    // Nothing was saved then.
  }
}

/** The backend `?backend=` in the address forces, or null. */
export function backendInAddress(search: string): BackendChoice | null {
  const asked = new URLSearchParams(search).get('backend');
  return (['auto', 'webgpu', 'wasm'] as const).find((b) => b === asked) ?? null;
}

/** The thread count the engine is asked for, or undefined for its own choice ('auto'). */
export const threadsForEngine = (choice: ThreadsChoice): number | undefined =>
  choice === 'auto' ? undefined : choice;
