import { changeSwapSettings, swapSettings } from '../state/settings';

/** The built-in engine's blend strength and which parts of the target face (and what covers it) to keep. */
export function SwapOptions() {
  const { strength, keepMouth, keepEyes } = swapSettings.value;
  return (
    <fieldset class="options" data-testid="builtin-options">
      <legend>Options</legend>
      <label class="strength">
        Blend strength
        <input
          type="range"
          min={0}
          max={100}
          step={1}
          value={strength}
          onInput={(event) => changeSwapSettings({ strength: event.currentTarget.valueAsNumber })}
          aria-valuetext={`${strength}%`}
          data-testid="strength"
        />
        <output>{strength}%</output>
      </label>
      <label>
        <input
          type="checkbox"
          checked={keepMouth}
          onChange={(event) => changeSwapSettings({ keepMouth: event.currentTarget.checked })}
          data-testid="keep-mouth"
        />
        Keep target's mouth
      </label>
      <label>
        <input
          type="checkbox"
          checked={keepEyes}
          onChange={(event) => changeSwapSettings({ keepEyes: event.currentTarget.checked })}
          data-testid="keep-eyes"
        />
        Keep target's eyes
      </label>
      <KeepHands />
    </fieldset>
  );
}

/** Whether hands found in front of a target face stay in front of the swap (both engines). */
export function KeepHands() {
  return (
    <label>
      <input
        type="checkbox"
        checked={swapSettings.value.keepHands}
        onChange={(event) => changeSwapSettings({ keepHands: event.currentTarget.checked })}
        data-testid="keep-hands"
      />
      Keep hands in front of faces
    </label>
  );
}
