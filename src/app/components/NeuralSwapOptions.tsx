import type { ModelMaskKind, NeuralOptions } from '../../workers/engine/client';
import { availableMasks, neuralRequest, neuralStatus } from '../state/neural';
import { changeNeuralOptions, modelMaskKinds, pixelBoosts } from '../state/settings';
import { KeepHands } from './SwapOptions';

const boostLabels: Record<NeuralOptions['pixelBoost'], string> = {
  128: '128 px (fastest)',
  256: '256 px',
  512: '512 px (sharpest, slowest)',
};

const maskLabels: Record<ModelMaskKind, string> = {
  occlusion: 'Occlusion (XSeg)',
  region: 'Face regions (BiSeNet)',
};

/** The chosen model masks with `kind` turned on or off, in their fixed order. */
function toggled(chosen: readonly ModelMaskKind[], kind: ModelMaskKind, on: boolean): ModelMaskKind[] {
  return modelMaskKinds.filter((k) => (k === kind ? on : chosen.includes(k)));
}

/**
 * The masks, combined: the box always, and each model mask whose model is installed, on or off by
 * itself (the paste takes the per-pixel minimum of those on).
 */
function MaskChoice({ masks }: { masks: readonly ModelMaskKind[] }) {
  return (
    <fieldset class="options" data-testid="masks">
      <legend>Masks</legend>
      <label title="The box mask is always on">
        <input type="checkbox" checked disabled data-testid="mask-box" />
        Box
      </label>
      {availableMasks.value.map((kind) => (
        <label key={kind}>
          <input
            type="checkbox"
            checked={masks.includes(kind)}
            onChange={(event) =>
              changeNeuralOptions({ masks: toggled(masks, kind, event.currentTarget.checked) })
            }
            data-testid={`mask-${kind}`}
          />
          {maskLabels[kind]}
        </label>
      ))}
    </fieldset>
  );
}

/** The neural engine's pixel boost, face restoration (with an enhancer model), masks, and hands kept in front. */
export function NeuralSwapOptions() {
  const options = neuralRequest.value;
  const restore = Math.round(options.restore * 100);
  return (
    <fieldset class="options" data-testid="neural-options">
      <legend>Options</legend>
      <label>
        Pixel boost
        <select
          value={options.pixelBoost}
          onChange={(event) =>
            changeNeuralOptions({
              pixelBoost: pixelBoosts.find((p) => p === Number(event.currentTarget.value)) ?? 128,
            })
          }
          data-testid="pixel-boost"
        >
          {pixelBoosts.map((p) => (
            <option key={p} value={p}>
              {boostLabels[p]}
            </option>
          ))}
        </select>
      </label>
      {neuralStatus.value?.restore && (
        <label class="strength">
          Face restoration
          <input
            type="range"
            min={0}
            max={100}
            step={5}
            value={restore}
            onInput={(event) => changeNeuralOptions({ restore: event.currentTarget.valueAsNumber / 100 })}
            aria-valuetext={restore === 0 ? 'Off' : `${restore}%`}
            data-testid="restore"
          />
          <output>{restore === 0 ? 'Off' : `${restore}%`}</output>
        </label>
      )}
      <MaskChoice masks={options.masks} />
      <KeepHands />
    </fieldset>
  );
}
