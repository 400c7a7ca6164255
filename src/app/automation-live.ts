import type { BlendOptions } from '../shared/blend';
import { base64ToBytes, bytesToBase64 } from '../shared/bytes';
import { defaultConfig } from '../shared/config';
import { newId } from '../shared/ids';
import { analyzeSource, release, session } from './automation-session';
import { largest } from './automation-bench';

/** Frames to push through a live session, as a camera would hand them. */
export interface LiveAutomationRequest {
  /** The source photo, base64. */
  source: string;
  width: number;
  height: number;
  /** RGBA frames, base64. */
  frames: string[];
  /** Fault injection: the GPU device is destroyed before this frame (0-based). */
  loseGpuBefore?: number;
  /** The built-in engine's blend, over the defaults. */
  blend?: Partial<BlendOptions>;
}

export interface LiveAutomationFrame {
  facesSwapped: number;
  /** The frame shown, RGBA, base64. */
  rgba: string;
}

/**
 * Runs frames through a live session one at a time, as the Live screen does (one frame in
 * flight), and returns each frame as shown.
 */
export async function swapLiveFrames(request: LiveAutomationRequest): Promise<LiveAutomationFrame[]> {
  const { engine } = session();
  const source = await analyzeSource(engine, request.source);
  const sessionId = newId('live');
  try {
    await engine.startLive(sessionId, {
      sourceId: source.imageId,
      sourceFace: largest(source).index,
      blend: { ...defaultConfig.blend, ...request.blend },
    });
    const shown: LiveAutomationFrame[] = [];
    const ctx = new OffscreenCanvas(request.width, request.height).getContext('2d')!;
    for (const [i, frame] of request.frames.entries()) {
      if (i === request.loseGpuBefore) await engine.loseGpu();
      const pixels = new Uint8ClampedArray(base64ToBytes(frame));
      const bitmap = await createImageBitmap(new ImageData(pixels, request.width, request.height));
      const result = await engine.swapLiveFrame(sessionId, bitmap);
      ctx.drawImage(result.bitmap, 0, 0);
      result.bitmap.close();
      const { data } = ctx.getImageData(0, 0, request.width, request.height);
      shown.push({ facesSwapped: result.facesSwapped, rgba: bytesToBase64(new Uint8Array(data.buffer)) });
    }
    return shown;
  } finally {
    await engine.stopLive(sessionId);
    await release(source);
  }
}
