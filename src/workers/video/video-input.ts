import {
  ALL_FORMATS,
  BlobSource,
  EncodedPacketSink,
  Input,
  VideoSampleSink,
  type InputTrack,
  type InputVideoTrack,
} from 'mediabunny';
import { cancelled, DoppelError, isDoppelError } from '../../shared/errors';
import { checkImageSize } from '../../shared/image-file';
import type { VideoInfo } from '../engine/api';

/** Codec names for messages. */
const codecNames: Record<string, string> = {
  avc: 'H.264',
  hevc: 'HEVC (H.265)',
  vp8: 'VP8',
  vp9: 'VP9',
  av1: 'AV1',
  prores: 'ProRes',
};

/** An opened video file: read in slices from the Blob as the sinks ask, never all at once. */
export interface OpenedVideo {
  input: Input;
  track: InputVideoTrack;
  container: string;
}

/** Errors from reading a damaged file (demuxer or decoder) as VIDEO_UNREADABLE; ours pass through. */
export function unreadable(error: unknown): DoppelError {
  if (isDoppelError(error)) return error;
  const cause = error instanceof Error ? error.message : String(error);
  return new DoppelError('VIDEO_UNREADABLE', undefined, { cause });
}

/** VIDEO_CODEC_UNSUPPORTED, naming the codec, when this browser cannot decode the track. */
async function checkDecodable(track: InputVideoTrack): Promise<void> {
  const codec = await track.getCodec();
  if (codec && (await track.canDecode())) return;
  const name = codec ? (codecNames[codec] ?? codec) : 'an unknown codec';
  throw new DoppelError(
    'VIDEO_CODEC_UNSUPPORTED',
    `This video is ${name}, which this browser cannot decode. Convert it to H.264 MP4 or VP9 WebM (for example with HandBrake or ffmpeg), then open it again.`,
    { codec },
  );
}

/**
 * Opens a video: VIDEO_UNREADABLE when the container cannot be read, VIDEO_NO_VIDEO_TRACK; and,
 * unless `decodable` is false, VIDEO_CODEC_UNSUPPORTED when this browser cannot decode it.
 */
export async function openVideo(video: Blob, decodable = true): Promise<OpenedVideo> {
  const input = new Input({ source: new BlobSource(video), formats: ALL_FORMATS });
  try {
    const format = await input.getFormat().catch((error: unknown) => {
      throw unreadable(error);
    });
    const track = await input.getPrimaryVideoTrack().catch((error: unknown) => {
      throw unreadable(error);
    });
    if (!track) throw new DoppelError('VIDEO_NO_VIDEO_TRACK');
    if (decodable) await checkDecodable(track);
    checkImageSize(await track.getDisplayWidth(), await track.getDisplayHeight());
    // 'QuickTime File Format' reads as 'QuickTime', like 'MP4', 'WebM', 'Matroska'.
    return { input, track, container: format.name.replace(/ File Format$/, '') };
  } catch (error) {
    input.dispose();
    throw error;
  }
}

const cutShort =
  'This video is cut short: its end is missing (an unfinished download or copy). Download or copy it again, then open it.';

/** VIDEO_UNREADABLE when the container lists packets the file does not hold (a truncated file). */
export async function checkComplete(tracks: InputTrack[]): Promise<void> {
  for (const track of tracks) {
    const sink = new EncodedPacketSink(track);
    const last = await sink.getPacket(Infinity, { metadataOnly: true });
    if (last && !(await sink.getPacket(last.timestamp)))
      throw new DoppelError('VIDEO_UNREADABLE', cutShort, { track: track.id });
  }
}

/**
 * One pass over the video track's packet headers: the frames shown in [startS, endS), and the
 * track's average frame rate (from the spacing of the frames' start times: a container may leave
 * the last frame's duration out). Stops with CANCELLED when `signal` is aborted.
 */
export async function countFrames(
  track: InputVideoTrack,
  startS = 0,
  endS = Infinity,
  signal?: AbortSignal,
): Promise<{ inRange: number; frameRate: number }> {
  let inRange = 0;
  let all = 0;
  let first = Infinity;
  let last = -Infinity;
  for await (const packet of new EncodedPacketSink(track).packets(undefined, undefined, {
    metadataOnly: true,
  })) {
    if (signal?.aborted) throw cancelled();
    all++;
    first = Math.min(first, packet.timestamp);
    last = Math.max(last, packet.timestamp);
    if (packet.timestamp < endS && packet.timestamp + packet.duration > startS) inRange++;
  }
  return { inRange, frameRate: last > first ? (all - 1) / (last - first) : 0 };
}

/** VIDEO_UNREADABLE when fewer frames were decoded than the container lists. */
export function checkFramesRead(read: number, listed: number): void {
  if (read < listed) throw new DoppelError('VIDEO_UNREADABLE', cutShort, { read, listed });
}

/** Reads a video's tracks and duration from its container (packet headers only); videoCodec null when this browser cannot decode it. */
export async function readVideoInfo(video: Blob): Promise<VideoInfo> {
  const { input, track, container } = await openVideo(video, false);
  try {
    const { inRange, frameRate } = await countFrames(track);
    const audio = await input.getPrimaryAudioTrack();
    return {
      durationS: await input.computeDuration(),
      width: await track.getDisplayWidth(),
      height: await track.getDisplayHeight(),
      frameRate,
      frames: inRange,
      videoCodec: (await track.canDecode()) ? await track.getCodec() : null,
      audioCodec: audio ? await audio.getCodec() : null,
      container,
    };
  } catch (error) {
    throw unreadable(error);
  } finally {
    input.dispose();
  }
}

/** The frame shown at `timeS` (the last one starting at or before it), upright, as a bitmap. */
export async function readVideoFrame(video: Blob, timeS: number): Promise<ImageBitmap> {
  const { input, track } = await openVideo(video);
  try {
    const sink = new VideoSampleSink(track);
    const sample = (await sink.getSample(timeS)) ?? (await sink.getSample(await track.getFirstTimestamp()));
    if (!sample) throw new DoppelError('VIDEO_UNREADABLE', 'This video has no frames. Choose another file.');
    try {
      const canvas = new OffscreenCanvas(sample.displayWidth, sample.displayHeight);
      sample.draw(canvas.getContext('2d')!, 0, 0);
      return canvas.transferToImageBitmap();
    } finally {
      sample.close();
    }
  } catch (error) {
    throw unreadable(error);
  } finally {
    input.dispose();
  }
}
