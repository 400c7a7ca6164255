import { signal } from '@preact/signals';
import { z } from 'zod';
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

const d = defaultSwapSettings;

/** What was saved, each value checked: anything missing, of the wrong type or out of range takes its default. */
const savedSwapSettings = z
  .object({
    engine: z.enum(['builtin', 'neural']).catch(d.engine),
    neural: z
      .object({
        pixelBoost: z.literal(pixelBoosts).catch(d.neural.pixelBoost),
        restore: z.number().min(0).max(1).catch(d.neural.restore),
        mask: z.literal(masks).catch(d.neural.mask),
      })
      .catch(d.neural),
    strength: z.number().min(0).max(100).catch(d.strength),
    keepMouth: z.boolean().catch(d.keepMouth),
    keepEyes: z.boolean().catch(d.keepEyes),
  })
  .catch(d);

export function parseSwapSettings(saved: string | null): SwapSettings {
  try {
    return savedSwapSettings.parse(JSON.parse(saved ?? '{}'));
  } catch {
    return d;
  }
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
