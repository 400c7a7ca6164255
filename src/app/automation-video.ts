import type { LikenessMatch, LikenessRequest } from './automation-likeness';
import { bytesToBase64 } from '../shared/bytes';
import { videoOutputDirectory } from '../shared/video-output-directory';
import type {
  BlendOptions,
  EngineKind,
  NeuralOptions,
  VideoContainer,
  VideoProgress,
  VideoQuality,
  VideoSwapResult,
} from '../workers/engine/client';

/** The automation page's video side: requests and results, the video's bytes, the outputs in OPFS. */

export interface VideoAutomationRequest {
  /** The source photo (base64). */
  source: string;
  /** The video: a Blob already in the page, or a same-origin URL to fetch it from. */
  video: Blob | { url: string };
  sourceFace?: number;
  /** Faces of the frame at the trim start to swap and track. */
  faces: 'all' | number[];
  trim?: { startS: number; endS: number };
  container: VideoContainer;
  quality?: VideoQuality;
  /** Name of the file in OPFS `video-output`; a fresh one when omitted. */
  outputName?: string;
  blend?: Partial<BlendOptions>;
  engine?: EngineKind;
  neural?: Partial<NeuralOptions>;
  /** Swap by likeness (target face numbers are those of the frame at the trim start) instead of by `faces`. */
  likeness?: LikenessRequest;
}

export type VideoAutomationResult = Omit<VideoSwapResult, 'matches'> & {
  backend: string;
  swapper: string;
  /** With `likeness`: each followed face (in order of first appearance), its source face and similarity. */
  matches?: LikenessMatch[];
};

/** A video job's progress as the driver sees it: the preview bitmap becomes its size. */
export type VideoDriverProgress = Omit<VideoProgress, 'preview'> & { preview?: [number, number] };

export async function videoBlob(video: VideoAutomationRequest['video']): Promise<Blob> {
  if (video instanceof Blob) return video;
  const response = await fetch(video.url);
  if (!response.ok) throw new Error(`${video.url}: HTTP ${response.status}`);
  return response.blob();
}

/** The names of the files in OPFS `video-output`. */
export async function listVideoOutputs(): Promise<string[]> {
  const names: string[] = [];
  // The DOM lib in use lacks the directory handle's async iteration (DOM.AsyncIterable).
  const directory = (await videoOutputDirectory()) as unknown as AsyncIterable<[string, FileSystemHandle]>;
  for await (const [name] of directory) names.push(name);
  return names.sort();
}

/** A slice of a finished video in OPFS `video-output` (base64), so a driver can copy it out in pieces. */
export async function readVideoOutput(
  name: string,
  offset = 0,
  length = Infinity,
): Promise<{ size: number; data: string }> {
  const file = await (await (await videoOutputDirectory()).getFileHandle(name)).getFile();
  const end = Math.min(file.size, offset + length);
  return {
    size: file.size,
    data: bytesToBase64(new Uint8Array(await file.slice(offset, end).arrayBuffer())),
  };
}

export async function removeVideoOutput(name: string): Promise<void> {
  await (await videoOutputDirectory()).removeEntry(name);
}
