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

const truncated = (details: Record<string, unknown>) =>
  new DoppelError('VIDEO_TRUNCATED', undefined, details);

async function bytesAt(video: Blob, offset: number, length: number): Promise<Uint8Array> {
  return new Uint8Array(await video.slice(offset, offset + length).arrayBuffer());
}

/** Top-level box types that open an MP4/MOV file (ISO BMFF, QuickTime). */
const isobmffFirstBoxes = new Set(['ftyp', 'moov', 'mdat', 'free', 'skip', 'wide', 'styp']);

/**
 * VIDEO_TRUNCATED when an MP4/MOV file's top-level boxes run past its end: the index (moov) of a
 * file cut short after its media (ffmpeg's default layout) or the media (mdat) of a faststart file.
 * Reads only the boxes' headers. Other files pass.
 */
async function checkBoxesComplete(video: Blob): Promise<void> {
  let offset = 0;
  for (let boxes = 0; offset < video.size && boxes < 4096; boxes++) {
    const header = await bytesAt(video, offset, 16);
    const type = String.fromCharCode(...header.subarray(4, 8));
    if (boxes === 0 && !isobmffFirstBoxes.has(type)) return;
    if (header.byteLength < 8) throw truncated({ box: offset });
    const view = new DataView(header.buffer, header.byteOffset, header.byteLength);
    let size = view.getUint32(0);
    if (size === 1) {
      if (header.byteLength < 16) throw truncated({ box: type, offset });
      size = Number(view.getBigUint64(8));
    }
    // Size 0: the box runs to the end of the file, whatever its length.
    if (size === 0) return;
    if (size < 8) return;
    if (offset + size > video.size) throw truncated({ box: type, offset, size, fileSize: video.size });
    offset += size;
  }
}

/**
 * An EBML variable-length integer at `at` and its length in bytes: an element ID keeps its marker
 * bit; a size drops it, and is null when all its bits are set ("unknown size").
 */
function vint(bytes: Uint8Array, at: number, keepMarker: boolean): { value: number | null; length: number } {
  const first = bytes[at] ?? 0;
  const length = Math.clz32(first) - 23;
  let value = keepMarker ? first : first & (0xff >> length);
  let allOnes = value === 0xff >> length;
  for (let i = 1; i < length; i++) {
    const byte = bytes[at + i] ?? 0;
    value = value * 256 + byte;
    allOnes &&= byte === 0xff;
  }
  return { value: !keepMarker && allOnes ? null : value, length };
}

/** VIDEO_TRUNCATED when a WebM/MKV file's Segment says it is longer than the file. */
async function checkSegmentComplete(video: Blob): Promise<void> {
  const head = await bytesAt(video, 0, 64);
  if (head[0] !== 0x1a || head[1] !== 0x45 || head[2] !== 0xdf || head[3] !== 0xa3) return;
  const headerSize = vint(head, 4, false);
  const segmentAt = 4 + headerSize.length + (headerSize.value ?? 0);
  const segment = await bytesAt(video, segmentAt, 12);
  if (segment.byteLength < 5) throw truncated({ segment: segmentAt });
  const id = vint(segment, 0, true);
  if (id.value !== 0x18538067) return;
  const size = vint(segment, id.length, false);
  const end = segmentAt + id.length + size.length + (size.value ?? 0);
  if (size.value !== null && end > video.size) throw truncated({ segmentEnd: end, fileSize: video.size });
}

/**
 * Opens a video: VIDEO_TRUNCATED when the file is cut short, VIDEO_UNREADABLE when the container
 * cannot be read, VIDEO_NO_VIDEO_TRACK; and, unless `decodable` is false, VIDEO_CODEC_UNSUPPORTED
 * when this browser cannot decode it.
 */
export async function openVideo(video: Blob, decodable = true): Promise<OpenedVideo> {
  await checkBoxesComplete(video);
  await checkSegmentComplete(video);
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

/** VIDEO_TRUNCATED when the container lists packets the file does not hold (a truncated file). */
export async function checkComplete(tracks: InputTrack[]): Promise<void> {
  for (const track of tracks) {
    const sink = new EncodedPacketSink(track);
    const last = await sink.getPacket(Infinity, { metadataOnly: true });
    if (last && !(await sink.getPacket(last.timestamp))) throw truncated({ track: track.id });
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

/** VIDEO_TRUNCATED when fewer frames were decoded than the container lists. */
export function checkFramesRead(read: number, listed: number): void {
  if (read < listed) throw truncated({ read, listed });
}

/** Reads a video's tracks and duration from its container (packet headers only); videoCodec null when this browser cannot decode it. */
export async function readVideoInfo(video: Blob): Promise<VideoInfo> {
  const { input, track, container } = await openVideo(video, false);
  try {
    const audio = await input.getPrimaryAudioTrack();
    await checkComplete(audio ? [track, audio] : [track]);
    const { inRange, frameRate } = await countFrames(track);
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
