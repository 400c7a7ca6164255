import { signal } from '@preact/signals';
import { defaultConfig, type BackendChoice } from '../../shared/config';
import type { EngineKind, EngineSettings, NeuralOptions } from '../../workers/engine/api';

const backends: readonly BackendChoice[] = ['auto', 'webgpu', 'wasm'];

/** The backend asked for by `?backend=webgpu|wasm|auto`, else the configured default. */
export function backendFromSearch(search: string): BackendChoice {
  const asked = new URLSearchParams(search).get('backend');
  return backends.find((b) => b === asked) ?? defaultConfig.backend;
}

export function engineSettings(search: string): EngineSettings {
  return {
    backend: backendFromSearch(search),
    modelBaseUrl: defaultConfig.modelBaseUrl,
    wasmBaseUrl: defaultConfig.wasmBaseUrl,
  };
}

/** The Swap screen's choices, kept in localStorage (`doppel.swap`) across visits. */
export interface SwapSettings {
  /** The engine the user chose; the neural one runs only while its models are installed. */
  engine: EngineKind;
  neural: NeuralOptions;
  /** Built-in engine: blend strength in percent (0–100). */
  strength: number;
  keepMouth: boolean;
  keepEyes: boolean;
}

export const pixelBoosts: readonly NeuralOptions['pixelBoost'][] = [128, 256, 512];
const masks: readonly NeuralOptions['mask'][] = ['box', 'occlusion', 'region'];

/**
 * Neural defaults as FaceFusion's: pixel boost at the swapper's own 128 px (FaceFusion's default is
 * the model's first size), no restoration (FaceFusion runs no enhancer unless asked), the box mask.
 */
const defaultSwapSettings: SwapSettings = {
  engine: 'builtin',
  neural: { pixelBoost: 128, restore: 0, mask: 'box' },
  strength: Math.round(defaultConfig.blend.strength * 100),
  keepMouth: defaultConfig.blend.keepMouth,
  keepEyes: defaultConfig.blend.keepEyes,
};

const storageKey = 'doppel.swap';

const inRange = (value: unknown, min: number, max: number): value is number =>
  typeof value === 'number' && value >= min && value <= max;

function pick<T>(choices: readonly T[], value: unknown, fallback: T): T {
  return choices.find((c) => c === value) ?? fallback;
}

/** What was saved, each value checked; anything missing or out of range takes its default. */
function parseSwapSettings(saved: string | null): SwapSettings {
  const d = defaultSwapSettings;
  let raw: Partial<Record<keyof SwapSettings, unknown>> & { neural?: Partial<Record<string, unknown>> };
  try {
    raw = (JSON.parse(saved ?? '{}') ?? {}) as typeof raw;
  } catch {
    return d;
  }
  const neural = raw.neural ?? {};
  return {
    engine: pick<EngineKind>(['builtin', 'neural'], raw.engine, d.engine),
    neural: {
      pixelBoost: pick(pixelBoosts, neural.pixelBoost, d.neural.pixelBoost),
      restore: inRange(neural.restore, 0, 1) ? neural.restore : d.neural.restore,
      mask: pick(masks, neural.mask, d.neural.mask),
    },
    strength: inRange(raw.strength, 0, 100) ? raw.strength : d.strength,
    keepMouth: typeof raw.keepMouth === 'boolean' ? raw.keepMouth : d.keepMouth,
    keepEyes: typeof raw.keepEyes === 'boolean' ? raw.keepEyes : d.keepEyes,
  };
}

function readSwapSettings(): SwapSettings {
  try {
    return parseSwapSettings(localStorage.getItem(storageKey));
  } catch {
    return defaultSwapSettings;
  }
}

export const swapSettings = signal<SwapSettings>(readSwapSettings());

export function changeSwapSettings(change: Partial<SwapSettings>): void {
  swapSettings.value = { ...swapSettings.value, ...change };
  try {
    localStorage.setItem(storageKey, JSON.stringify(swapSettings.value));
  } catch {
    // Storage can be disabled; the choice then lasts for this visit only.
  }
}

export function changeNeuralOptions(change: Partial<NeuralOptions>): void {
  changeSwapSettings({ neural: { ...swapSettings.value.neural, ...change } });
}
