import { effect, signal } from '@preact/signals';
import { DoppelError, toDoppelError } from '../../shared/errors';
import { decodeImageFile } from '../../shared/image-file';
import type { EngineClient, FaceInfo, Progress } from '../../workers/engine/client';
import { engineGeneration, readyEngine } from './engine';
import { largestFace, source } from './photos';

/** Another photo of the source person (neural engine): its largest face joins the averaged identity. */
export interface ExtraSource {
  imageId: string;
  name: string;
  face: FaceInfo;
  file: File;
  /** The engine worker that analysed it (engineGeneration). */
  generation: number;
}

export const moreSources = signal<ExtraSource[]>([]);
/** Progress of the photos being added, null when idle. */
export const moreSourcesLoading = signal<Progress | null>(null);
/** What went wrong with the photos last added, one error per refused photo. */
export const moreSourcesErrors = signal<readonly DoppelError[]>([]);

function forget(extra: ExtraSource): void {
  extra.face.thumbnail.close();
  void readyEngine().then((engine) => engine.release(extra.imageId));
}

async function analyse(file: File, position: string, given?: EngineClient): Promise<ExtraSource> {
  moreSourcesLoading.value = { stage: 'decode', fraction: 0, message: `Reading ${file.name}${position}` };
  const bitmap = await decodeImageFile(file);
  const engine = await (given ? Promise.resolve(given) : readyEngine()).catch((error: unknown) => {
    bitmap.close();
    throw error;
  });
  const generation = engineGeneration();
  const analysis = await engine.analyze(bitmap, {
    hands: false,
    onProgress: (progress) =>
      (moreSourcesLoading.value = { ...progress, message: `${progress.message}${position}` }),
  });
  const face = largestFace(analysis.faces);
  for (const other of analysis.faces) if (other !== face) other.thumbnail.close();
  if (!face) {
    void engine.release(analysis.imageId);
    throw new DoppelError(
      'NO_FACE_FOUND',
      `No face was found in ${file.name}. Add a photo where the person's face is clearly visible.`,
    );
  }
  return { imageId: analysis.imageId, name: file.name, face, file, generation };
}

/** Analyses again the extra photos an engine worker that has since stopped analysed. */
export async function analysedMoreSources(engine: EngineClient): Promise<void> {
  const stale = moreSources.value.filter((extra) => extra.generation !== engineGeneration());
  if (stale.length === 0) return;
  try {
    for (const extra of stale) {
      const fresh = await analyse(extra.file, '', engine);
      extra.face.thumbnail.close();
      moreSources.value = moreSources.value.map((e) => (e === extra ? fresh : e));
    }
  } finally {
    moreSourcesLoading.value = null;
  }
}

/** Analyses each photo like the source and keeps its largest face; a photo without one is refused. */
export async function addMoreSources(files: readonly File[]): Promise<void> {
  if (moreSourcesLoading.value || files.length === 0) return;
  const sourceFile = source.photo.value?.file;
  const errors: DoppelError[] = [];
  try {
    for (const [i, file] of files.entries()) {
      const position = files.length > 1 ? ` (${i + 1} of ${files.length})` : '';
      try {
        const extra = await analyse(file, position);
        if (source.photo.value?.file === sourceFile) moreSources.value = [...moreSources.value, extra];
        else forget(extra);
      } catch (error) {
        errors.push(toDoppelError(error));
      }
    }
  } finally {
    moreSourcesErrors.value = errors;
    moreSourcesLoading.value = null;
  }
}

export function removeMoreSource(imageId: string): void {
  const extra = moreSources.value.find((e) => e.imageId === imageId);
  if (!extra) return;
  moreSources.value = moreSources.value.filter((e) => e !== extra);
  forget(extra);
}

/** Another source photo may be another person: its extra photos go with the old one. */
let shownFor: File | undefined;
effect(() => {
  const sourceFile = source.photo.value?.file;
  if (sourceFile === shownFor) return;
  shownFor = sourceFile;
  const old = moreSources.peek();
  if (old.length === 0) return;
  moreSources.value = [];
  moreSourcesErrors.value = [];
  old.forEach(forget);
});
