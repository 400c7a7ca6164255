import { DoppelError } from '../../shared/errors';

export interface GifFrame {
  /** The composed frame (disposal applied), owned by the caller. */
  bitmap: ImageBitmap;
  delayMs: number;
}

export interface GifReader {
  width: number;
  height: number;
  frameCount: number;
  /** Extra plays after the first: 0 plays once, Infinity loops forever. */
  repetitionCount: number;
  /** Decodes frame after frame, one in memory at a time. */
  frames(): AsyncGenerator<GifFrame>;
  close(): void;
}

function decodeFailed(cause: unknown): DoppelError {
  return new DoppelError(
    'DECODE_FAILED',
    'This GIF could not be decoded: the file is damaged or incomplete. Export or download it again.',
    { cause: String(cause) },
  );
}

/** Opens an animated GIF with WebCodecs' ImageDecoder; a damaged file is DECODE_FAILED. */
export async function openGif(gif: Blob): Promise<GifReader> {
  if (typeof ImageDecoder === 'undefined' || !(await ImageDecoder.isTypeSupported('image/gif')))
    throw new DoppelError('UNSUPPORTED_FORMAT', 'This browser cannot decode GIF animations (no WebCodecs).');
  let decoder: ImageDecoder;
  try {
    decoder = new ImageDecoder({ data: await gif.arrayBuffer(), type: 'image/gif' });
    await decoder.tracks.ready;
    await decoder.completed;
  } catch (error) {
    throw decodeFailed(error);
  }
  const track = decoder.tracks.selectedTrack;
  if (!track || track.frameCount === 0) {
    decoder.close();
    throw decodeFailed('no frames');
  }
  let first: VideoFrame;
  try {
    first = (await decoder.decode({ frameIndex: 0 })).image;
  } catch (error) {
    decoder.close();
    throw decodeFailed(error);
  }
  const { displayWidth: width, displayHeight: height } = first;
  first.close();
  return {
    width,
    height,
    frameCount: track.frameCount,
    repetitionCount: track.repetitionCount,
    async *frames() {
      for (let frameIndex = 0; frameIndex < track.frameCount; frameIndex++) {
        let frame: VideoFrame;
        try {
          frame = (await decoder.decode({ frameIndex })).image;
        } catch (error) {
          throw decodeFailed(error);
        }
        try {
          const bitmap = await createImageBitmap(frame, {
            premultiplyAlpha: 'none',
            colorSpaceConversion: 'none',
          });
          yield { bitmap, delayMs: Math.round((frame.duration ?? 0) / 1000) };
        } finally {
          frame.close();
        }
      }
    },
    close: () => decoder.close(),
  };
}
