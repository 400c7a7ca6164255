import { keepEyes, keepMouth, strength } from '../state/swap';

/** Blend strength and which parts of the target face to keep. */
export function SwapOptions() {
  return (
    <fieldset class="options">
      <legend>Options</legend>
      <label class="strength">
        Blend strength
        <input
          type="range"
          min={0}
          max={100}
          step={1}
          value={strength.value}
          onInput={(event) => (strength.value = event.currentTarget.valueAsNumber)}
          aria-valuetext={`${strength.value}%`}
          data-testid="strength"
        />
        <output>{strength.value}%</output>
      </label>
      <label>
        <input
          type="checkbox"
          checked={keepMouth.value}
          onChange={(event) => (keepMouth.value = event.currentTarget.checked)}
          data-testid="keep-mouth"
        />
        Keep target's mouth
      </label>
      <label>
        <input
          type="checkbox"
          checked={keepEyes.value}
          onChange={(event) => (keepEyes.value = event.currentTarget.checked)}
          data-testid="keep-eyes"
        />
        Keep target's eyes
      </label>
    </fieldset>
  );
}
