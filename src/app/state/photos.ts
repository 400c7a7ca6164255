import { signal, type Signal } from '@preact/signals';
import { decodeImageFile, gifFrameCount } from '../../shared/image-file';
import { toDoppelError, type DoppelError } from '../../shared/errors';
import type { EngineClient, FaceInfo, Progress } from '../../workers/engine/client';
import { engineGeneration, engineStatus, readyEngine } from './engine';

/** The two photos of a swap, and the photos that choosing faces by likeness adds (face-choice.ts). */
export type SlotName = 'source' | 'target' | 'reference' | 'second';

/** A photo the engine has analysed. */
export interface Photo {
  name: string;
  /** Object URL of the user's file, for previews (the decoded bitmap now lives in the worker). */
  url: string;
  /** The user's file as it was: an animated GIF target is swapped from it, frame by frame. */
  file: File;
  /** Frames in the file: more than 1 for an animated GIF (its first frame is the one analysed). */
  frames: number;
  imageId: string;
  width: number;
  height: number;
  faces: FaceInfo[];
  /** The engine worker that analysed it (engineGeneration): another one does not know imageId. */
  generation: number;
}

export interface PhotoSlot {
  name: SlotName;
  /** How its faces are named: "<label> face 2". */
  label: string;
  /** Source: one face; target: any number of faces. */
  multiple: boolean;
  photo: Signal<Photo | null>;
  /** Preview of a file being analysed; it becomes the photo when analysis succeeds. */
  pending: Signal<{ name: string; url: string } | null>;
  /** Indices of the chosen faces. */
  selected: Signal<number[]>;
  /** Progress of the photo being added, null when idle. */
  loading: Signal<Progress | null>;
  error: Signal<DoppelError | null>;
}

function createSlot(name: SlotName, label: string, multiple: boolean): PhotoSlot {
  return {
    name,
    label,
    multiple,
    photo: signal(null),
    pending: signal(null),
    selected: signal([]),
    loading: signal(null),
    error: signal(null),
  };
}

export const source = createSlot('source', 'Source', false);
export const target = createSlot('target', 'Target', true);
/** A photo of the person reference mode and face mapping look for. */
export const reference = createSlot('reference', 'Reference', false);
/** A second source photo for face mapping: its chosen face is one more source face. */
export const secondSource = createSlot('second', 'Second source', false);
/** The slots a paste goes to. */
export const slots: Record<'source' | 'target', PhotoSlot> = { source, target };

/** Listeners told when a slot's photo is replaced (a result made from the old photo is stale). */
const replacedListeners: Array<() => void> = [];

export function onPhotoReplaced(listener: () => void): void {
  replacedListeners.push(listener);
}

const jobs = new Map<SlotName, AbortController>();

function area(face: FaceInfo): number {
  return face.box[2] * face.box[3];
}

/** The face with the largest box, null when there is none. */
export function largestFace(faces: readonly FaceInfo[]): FaceInfo | null {
  return faces.reduce<FaceInfo | null>((best, f) => (!best || area(f) > area(best) ? f : best), null);
}

function defaultSelection(slot: PhotoSlot, faces: FaceInfo[]): number[] {
  if (slot.multiple) return faces.map((f) => f.index);
  const largest = largestFace(faces);
  return largest ? [largest.index] : [];
}

/**
 * Decodes and analyses a file for a slot. The slot's current photo stays until the new one is
 * analysed, and stays for good when the new file fails.
 */
export async function addPhoto(slot: PhotoSlot, file: File): Promise<void> {
  jobs.get(slot.name)?.abort();
  const job = new AbortController();
  jobs.set(slot.name, job);
  const report = (progress: Progress) => {
    if (!job.signal.aborted) slot.loading.value = progress;
  };
  slot.error.value = null;
  slot.pending.value = null;
  report({ stage: 'decode', fraction: 0, message: `Reading ${file.name}` });
  let url: string | null = null;
  try {
    const bitmap = await decodeImageFile(file);
    const frames = await gifFrameCount(file).catch((error: unknown) => {
      bitmap.close();
      throw error;
    });
    if (job.signal.aborted) {
      bitmap.close();
      return;
    }
    url = URL.createObjectURL(file);
    slot.pending.value = { name: file.name, url };
    if (engineStatus.value.state !== 'ready') {
      report({ stage: 'models', fraction: 0, message: 'Loading face models' });
    }
    const engine = await readyEngine().catch((error: unknown) => {
      bitmap.close();
      throw error;
    });
    const generation = engineGeneration();
    report({ stage: 'detect', fraction: 0, message: 'Finding faces' });
    const analysis = await engine.analyze(bitmap, {
      signal: job.signal,
      onProgress: report,
      hands: slot.name === 'target',
    });
    if (job.signal.aborted) {
      for (const face of analysis.faces) face.thumbnail.close();
      void engine.release(analysis.imageId);
      return;
    }
    const previous = slot.photo.value;
    slot.photo.value = {
      name: file.name,
      url,
      file,
      frames,
      imageId: analysis.imageId,
      width: analysis.width,
      height: analysis.height,
      faces: analysis.faces,
      generation,
    };
    url = null;
    slot.selected.value = defaultSelection(slot, analysis.faces);
    for (const listener of replacedListeners) listener();
    if (previous) {
      for (const face of previous.faces) face.thumbnail.close();
      URL.revokeObjectURL(previous.url);
      void engine.release(previous.imageId);
    }
  } catch (error) {
    if (!job.signal.aborted) slot.error.value = toDoppelError(error);
  } finally {
    if (jobs.get(slot.name) === job) {
      jobs.delete(slot.name);
      slot.loading.value = null;
      slot.pending.value = null;
    }
    if (url) URL.revokeObjectURL(url);
  }
}

/**
 * The slot's photo as the running engine knows it: one analysed by an engine worker that has since
 * stopped is analysed again from its file (its chosen faces kept when as many faces are found). Null
 * when the slot is empty or its photo was replaced meanwhile.
 */
export async function analysedPhoto(
  slot: PhotoSlot,
  engine: EngineClient,
  signal?: AbortSignal,
): Promise<Photo | null> {
  const photo = slot.photo.value;
  const generation = engineGeneration();
  if (!photo || photo.generation === generation) return photo;
  const analysis = await engine.analyze(await decodeImageFile(photo.file), {
    signal,
    hands: slot.name === 'target',
  });
  if (slot.photo.value !== photo) {
    for (const face of analysis.faces) face.thumbnail.close();
    void engine.release(analysis.imageId);
    return null;
  }
  for (const face of photo.faces) face.thumbnail.close();
  const current = { ...photo, imageId: analysis.imageId, faces: analysis.faces, generation };
  slot.photo.value = current;
  if (analysis.faces.length !== photo.faces.length)
    slot.selected.value = defaultSelection(slot, analysis.faces);
  return current;
}

/** Source: picks the face; target: toggles it. */
export function toggleFace(slot: PhotoSlot, index: number): void {
  const chosen = slot.selected.value;
  if (!slot.multiple) slot.selected.value = [index];
  else if (chosen.includes(index)) slot.selected.value = chosen.filter((i) => i !== index);
  else slot.selected.value = [...chosen, index].sort((a, b) => a - b);
}

/** Where a pasted photo goes when no zone has focus: the source while it is empty, else the target. */
export function pasteSlot(): PhotoSlot {
  return source.photo.value || source.loading.value ? target : source;
}
