import type { NeuralOptions } from '../../workers/engine/client';
import { availableMasks, neuralRequest, neuralStatus } from '../state/neural';
import { changeNeuralOptions, pixelBoosts } from '../state/settings';

const boostLabels: Record<NeuralOptions['pixelBoost'], string> = {
  128: '128 px (fastest)',
  256: '256 px',
  512: '512 px (sharpest, slowest)',
};

const maskLabels: Record<NeuralOptions['mask'], string> = {
  box: 'Box',
  occlusion: 'Occlusion (XSeg)',
  region: 'Face regions (BiSeNet)',
};

/** The neural engine's pixel boost, face restoration (with an enhancer model) and mask. */
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
      <label>
        Mask
        <select
          value={options.mask}
          onChange={(event) =>
            changeNeuralOptions({
              mask: availableMasks.value.find((m) => m === event.currentTarget.value) ?? 'box',
            })
          }
          data-testid="mask"
        >
          {availableMasks.value.map((m) => (
            <option key={m} value={m}>
              {maskLabels[m]}
            </option>
          ))}
        </select>
      </label>
    </fieldset>
  );
}
