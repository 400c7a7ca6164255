import {
  faceKey,
  referencePhotoFaces,
  sourceOptions,
  type ChoiceMode,
  type FaceChoice,
  type FaceOption,
} from '../state/face-choice';
import { reference, secondSource } from '../state/photos';
import { currentScreen } from '../screens/navigation';
import { PhotoPanel } from './PhotoPanel';

interface Props {
  choice: FaceChoice;
  /** What the default mode swaps, in words ("The faces chosen above", "Every face in view"). */
  chosenLabel: string;
  /** Faces reference mode may use (the reference photo's are added here). */
  references: FaceOption[];
  /** Faces a mapping assigns source faces to (the reference photo's are added here). */
  targets: FaceOption[];
}

const modes: { mode: ChoiceMode; label: string }[] = [
  { mode: 'reference', label: 'Only faces like a reference face' },
  { mode: 'map', label: 'Map source faces onto faces' },
];

/**
 * Which faces are replaced: the default (chosen faces, or every face live); reference mode (only
 * faces at least as alike as the threshold to one reference face); or face mapping (each source
 * face onto the faces like the face it is mapped to). In GIFs, videos and live, a face is decided
 * on the frame where it first shows, once.
 */
export function FaceChoicePanel({ choice, chosenLabel, references, targets }: Props) {
  const mode = choice.mode.value;
  const id = (what: string) => `${choice.name}-${what}`;
  const allReferences = [...references, ...referencePhotoFaces.value];
  const allTargets = [...targets, ...referencePhotoFaces.value];
  const threshold = choice.threshold.value;
  return (
    <section class="panel face-choice" aria-labelledby={id('choice-heading')} data-testid={id('face-choice')}>
      <h2 id={id('choice-heading')}>Which faces</h2>
      <fieldset class="options">
        <legend>Replace</legend>
        {[{ mode: 'chosen' as const, label: chosenLabel }, ...modes].map((option) => (
          <label key={option.mode}>
            <input
              type="radio"
              name={id('choice-mode')}
              checked={mode === option.mode}
              onChange={() => (choice.mode.value = option.mode)}
              data-testid={`choice-${option.mode}`}
            />
            {option.label}
          </label>
        ))}
      </fieldset>
      {mode === 'reference' && (
        <label class="choice-row">
          Reference face
          <select
            value={choice.reference.value ?? ''}
            onChange={(event) => (choice.reference.value = event.currentTarget.value || null)}
            data-testid="reference-face"
          >
            <option value="">Choose a face…</option>
            {allReferences.map((option) => (
              <option key={faceKey(option.ref)} value={faceKey(option.ref)}>
                {option.label}
              </option>
            ))}
          </select>
        </label>
      )}
      {mode === 'map' && (
        <ul class="face-map" aria-label="Source face for each face" data-testid="face-map">
          {allTargets.map((option) => {
            const key = faceKey(option.ref);
            return (
              <li key={key}>
                <label class="choice-row">
                  {option.label} gets
                  <select
                    value={choice.map.value[key] ?? ''}
                    onChange={(event) => {
                      const rest = { ...choice.map.value };
                      delete rest[key];
                      const value = event.currentTarget.value;
                      choice.map.value = value ? { ...rest, [key]: value } : rest;
                    }}
                    data-testid="face-map-source"
                  >
                    <option value="">nothing (left as it is)</option>
                    {sourceOptions.value.map((from) => (
                      <option key={faceKey(from.ref)} value={faceKey(from.ref)}>
                        {from.label}
                      </option>
                    ))}
                  </select>
                </label>
              </li>
            );
          })}
        </ul>
      )}
      {mode !== 'chosen' && (
        <>
          <label class="strength">
            Likeness threshold
            <input
              type="range"
              min={0.3}
              max={0.95}
              step={0.01}
              value={threshold}
              onInput={(event) => (choice.threshold.value = event.currentTarget.valueAsNumber)}
              aria-valuetext={threshold.toFixed(2)}
              data-testid="likeness-threshold"
            />
            <output>{threshold.toFixed(2)}</output>
          </label>
          <p class="hint">
            Faces at least this alike to a reference face are replaced; in a GIF, video or live, each face is
            decided once, where it first shows. Raise it if other people are replaced, lower it if the person
            is missed.
          </p>
          {/* The reference and second source photos are shared: shown on one screen at a time (their ids are unique). */}
          {currentScreen.value === choice.name && (
            <div class="inputs">
              <PhotoPanel
                slot={reference}
                title="Reference photo (optional)"
                purpose="Another photo of the person to look for: its faces join the lists above."
              />
              {mode === 'map' && (
                <PhotoPanel
                  slot={secondSource}
                  title="Second source photo (optional)"
                  purpose="One more source face for the mapping."
                />
              )}
            </div>
          )}
        </>
      )}
    </section>
  );
}
