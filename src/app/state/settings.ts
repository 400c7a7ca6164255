import { signal } from '@preact/signals';
import { z } from 'zod';
import { defaultConfig, type BackendChoice } from '../../shared/config';
import type { EngineKind, EngineSettings, ModelMaskKind, NeuralOptions } from '../../workers/engine/api';
import { appSettings, backendInAddress, threadsForEngine } from './app-settings';

/** The backend asked for by `?backend=webgpu|wasm|auto`, else the one chosen on the Settings screen. */
export function backendFromSearch(search: string): BackendChoice {
  return backendInAddress(search) ?? appSettings.value.backend;
}

export function engineSettings(search: string): EngineSettings {
  return {
    backend: backendFromSearch(search),
    modelBaseUrl: defaultConfig.modelBaseUrl,
    wasmBaseUrl: defaultConfig.wasmBaseUrl,
    threads: threadsForEngine(appSettings.value.threads),
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
  /** Both engines: hands in front of a face stay in front of the swap. */
  keepHands: boolean;
}

export const pixelBoosts: readonly NeuralOptions['pixelBoost'][] = [128, 256, 512];
/** The neural engine's model masks, in the order they are listed and sent. */
export const modelMaskKinds: readonly ModelMaskKind[] = ['occlusion', 'region'];

/**
 * Neural defaults as FaceFusion's: pixel boost at the swapper's own 128 px (FaceFusion's default is
 * the model's first size), no restoration (FaceFusion runs no enhancer unless asked), the box mask alone.
 */
export const defaultSwapSettings: SwapSettings = {
  engine: 'builtin',
  neural: { pixelBoost: 128, restore: 0, masks: [] },
  strength: Math.round(defaultConfig.blend.strength * 100),
  keepMouth: defaultConfig.blend.keepMouth,
  keepEyes: defaultConfig.blend.keepEyes,
  keepHands: defaultConfig.blend.hands !== false,
};

const storageKey = 'doppel.swap';

const d = defaultSwapSettings;

/**
 * Neural options saved before the masks combined held one `mask` ('box', 'occlusion' or 'region'):
 * that choice becomes the list of model masks it turned on.
 */
function withMaskList(neural: unknown): unknown {
  if (typeof neural !== 'object' || neural === null || 'masks' in neural) return neural;
  const { mask, ...rest } = neural as { mask?: unknown };
  return { ...rest, masks: modelMaskKinds.filter((kind) => kind === mask) };
}

/** What was saved, each value checked: anything missing, of the wrong type or out of range takes its default. */
const savedSwapSettings = z
  .object({
    engine: z.enum(['builtin', 'neural']).catch(d.engine),
    neural: z
      .preprocess(
        withMaskList,
        z.object({
          pixelBoost: z.literal(pixelBoosts).catch(d.neural.pixelBoost),
          restore: z.number().min(0).max(1).catch(d.neural.restore),
          // Unknown names are dropped; the known ones keep their fixed order, once each.
          masks: z
            .array(z.unknown())
            .transform((saved) => modelMaskKinds.filter((kind) => saved.includes(kind)))
            .catch(d.neural.masks),
        }),
      )
      .catch(d.neural),
    strength: z.number().min(0).max(100).catch(d.strength),
    keepMouth: z.boolean().catch(d.keepMouth),
    keepEyes: z.boolean().catch(d.keepEyes),
    keepHands: z.boolean().catch(d.keepHands),
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

/** The Swap screen's choices back to their defaults, and nothing left saved. */
export function resetSwapSettings(): void {
  swapSettings.value = defaultSwapSettings;
  try {
    localStorage.removeItem(storageKey);
  } catch {
    // Nothing was saved then.
  }
}

export function changeNeuralOptions(change: Partial<NeuralOptions>): void {
  changeSwapSettings({ neural: { ...swapSettings.value.neural, ...change } });
}
