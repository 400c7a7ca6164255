import { computed, signal, type Signal } from '@preact/signals';
import { defaultConfig } from '../../shared/config';
import type { FaceMapping, FaceRef } from '../../workers/engine/client';
import { reference, secondSource, source, type Photo, type PhotoSlot } from './photos';

/** Which faces a swap replaces: the chosen ones, one person by likeness, or each source face onto its targets. */
export type ChoiceMode = 'chosen' | 'reference' | 'map';

/** A face the user can pick, named as its photo's thumbnails and boxes name it. */
export interface FaceOption {
  ref: FaceRef;
  label: string;
}

/** One screen's way of choosing faces (Swap, Video and Live each keep their own). */
export interface FaceChoice {
  name: 'swap' | 'video' | 'live';
  mode: Signal<ChoiceMode>;
  threshold: Signal<number>;
  /** Reference mode: the key (faceKey) of the reference face. */
  reference: Signal<string | null>;
  /** Face mapping: reference face key to source face key; a face left out stays as it is. */
  map: Signal<Record<string, string>>;
}

export const faceKey = (ref: FaceRef): string => `${ref.imageId}#${ref.face}`;

function createChoice(name: FaceChoice['name'], mode: ChoiceMode): FaceChoice {
  return {
    name,
    mode: signal(mode),
    threshold: signal(defaultConfig.likenessThreshold),
    reference: signal(null),
    map: signal({}),
  };
}

export const swapChoice = createChoice('swap', 'chosen');
export const videoChoice = createChoice('video', 'chosen');
export const liveChoice = createChoice('live', 'chosen');

/** Every face of a slot's photo, named "<label> face N". */
export function slotFaces(slot: PhotoSlot): FaceOption[] {
  return photoFaces(slot.photo.value, slot.label);
}

export function photoFaces(photo: Pick<Photo, 'imageId' | 'faces'> | null, label: string): FaceOption[] {
  return (photo?.faces ?? []).map((face) => ({
    ref: { imageId: photo!.imageId, face: face.index },
    label: `${label} face ${face.index + 1}`,
  }));
}

/** The source faces a mapping can use: every face of the source photo, then the second source's chosen face. */
export const sourceOptions = computed<FaceOption[]>(() => {
  const second = secondSource.photo.value;
  const face = secondSource.selected.value[0];
  return [
    ...slotFaces(source),
    ...(second && face !== undefined
      ? [{ ref: { imageId: second.imageId, face }, label: `Second source face ${face + 1}` }]
      : []),
  ];
});

/** Faces of the reference photo, for reference mode and mapping on every screen. */
export const referencePhotoFaces = computed(() => slotFaces(reference));

/**
 * What the engine is asked for (`references` are the screen's faces; the reference photo's are
 * added): undefined when the screen swaps its chosen faces; with reference
 * mode, `mainSource` onto faces like the reference; with mapping, each mapped source face onto
 * faces like its reference face. Null when the choice is incomplete (nothing to swap).
 */
export function mappingFor(
  choice: FaceChoice,
  references: readonly FaceOption[],
  mainSource: FaceRef | null,
): FaceMapping | undefined | null {
  const mode = choice.mode.value;
  if (mode === 'chosen') return undefined;
  const threshold = choice.threshold.value;
  const options = [...references, ...referencePhotoFaces.value];
  const byKey = new Map(options.map((option) => [faceKey(option.ref), option.ref]));
  if (mode === 'reference') {
    const ref = choice.reference.value === null ? undefined : byKey.get(choice.reference.value);
    return ref && mainSource ? { pairs: [{ source: mainSource, reference: ref }], threshold } : null;
  }
  const sources = new Map(sourceOptions.value.map((option) => [faceKey(option.ref), option.ref]));
  const pairs = Object.entries(choice.map.value).flatMap(([key, sourceKey]) => {
    const ref = byKey.get(key);
    const from = sources.get(sourceKey);
    return ref && from ? [{ source: from, reference: ref }] : [];
  });
  return pairs.length > 0 ? { pairs, threshold } : null;
}
