import { computed, signal } from '@preact/signals';
import { toDoppelError, type DoppelError } from '../../shared/errors';
import type { EngineKind, ModelMaskKind, NeuralOptions, NeuralStatus } from '../../workers/engine/client';
import { readyEngine } from './engine';
import { entitled } from './entitlements';
import { swapSettings } from './settings';

/** What the neural engine can do with the models in this browser; null until first read. */
export const neuralStatus = signal<NeuralStatus | null>(null);
/** Why the status could not be read (the engine did not start). */
export const neuralStatusError = signal<DoppelError | null>(null);

let reads = 0;

/** Reads the status again (after the Models screen imported or removed files); the latest read wins. */
export async function refreshNeuralStatus(): Promise<void> {
  const read = ++reads;
  try {
    const engine = await readyEngine();
    const status = await engine.neuralStatus();
    if (read !== reads) return;
    neuralStatus.value = status;
    neuralStatusError.value = null;
  } catch (error) {
    if (read === reads) neuralStatusError.value = toDoppelError(error);
  }
}

/** The engine a swap uses: the chosen one, or the built-in one while the neural models are missing or the plan lacks it. */
export const activeEngine = computed<EngineKind>(() =>
  swapSettings.value.engine === 'neural' && neuralStatus.value?.ready && entitled('neural-engine')
    ? 'neural'
    : 'builtin',
);

/** The model masks this browser can use (their model is installed); the box mask is always on. */
export const availableMasks = computed<ModelMaskKind[]>(() => neuralStatus.value?.masks ?? []);

/** The neural options a swap sends: restoration and masks only where their models are installed. */
export const neuralRequest = computed<NeuralOptions>(() => {
  const { pixelBoost, restore, masks } = swapSettings.value.neural;
  return {
    pixelBoost,
    restore: neuralStatus.value?.restore ? restore : 0,
    masks: masks.filter((kind) => availableMasks.value.includes(kind)),
  };
});
