import {
  canEncodeVideo,
  Conversion,
  ConversionCanceledError,
  EncodedAudioPacketSource,
  Mp4OutputFormat,
  Output,
  QUALITY_HIGH,
  QUALITY_LOW,
  QUALITY_MEDIUM,
  StreamTarget,
  type VideoSample,
  WebMOutputFormat,
  type InputAudioTrack,
} from 'mediabunny';
import { cancelled, DoppelError, isDoppelError } from '../../shared/errors';
import { aiEditedVideoTags, withXmpUuidBox } from '../../shared/video-label';
import type { VideoContainer, VideoQuality, VideoSwapRequest, VideoSwapResult } from '../engine/api';
import type { FrameChoice } from '../animation/frame-choice';
import type { FrameSwapper } from '../animation/frame-swapper';
import { FrameLoop, type VideoJobControls } from './frame-loop';
import { OpfsOutputFile, storageError } from './opfs-output';
import { signVideoOutput } from './video-credentials';
import {
  checkComplete,
  checkFramesRead,
  countFrames,
  openVideo,
  unreadable,
  type OpenedVideo,
} from './video-input';

export { readVideoFrame, readVideoInfo } from './video-input';

/** The video result without the engine fields, which the engine adds. */
type VideoSwapOutput = Omit<VideoSwapResult, 'engine' | 'provider'>;

const qualities = { low: QUALITY_LOW, medium: QUALITY_MEDIUM, high: QUALITY_HIGH } as const;
const containers = {
  mp4: { codec: 'avc', name: 'H.264', label: 'MP4', other: 'WebM' },
  webm: { codec: 'vp9', name: 'VP9', label: 'WebM', other: 'MP4' },
} as const;

/** VIDEO_CODEC_UNSUPPORTED, offering the other container, when this browser cannot encode the output codec. */
async function checkEncodable(
  container: VideoContainer,
  width: number,
  height: number,
  quality: VideoQuality,
) {
  const { codec, name, label, other } = containers[container];
  if (await canEncodeVideo(codec, { width, height, bitrate: qualities[quality] })) return;
  throw new DoppelError(
    'VIDEO_CODEC_UNSUPPORTED',
    `This browser cannot encode ${name} video at ${width}×${height}, which ${label} files need. Choose ${other} as the output format.`,
    { codec, width, height },
  );
}

type FrameProcess = (sample: VideoSample) => Promise<VideoSample>;

/**
 * A mediabunny Conversion of the primary video track through `process` into the output file; the
 * primary audio track is copied packet for packet, or left out (audioKept false) when the output
 * container cannot hold its codec or copying it would need a re-encode. The file is tagged
 * AI-edited: a Matroska tag (WebM) or the XMP `uuid` box (MP4, then signed with Content Credentials
 * once finished); the input's tags are not copied.
 */
async function prepare(
  opened: OpenedVideo,
  request: VideoSwapRequest,
  file: OpfsOutputFile,
  process: FrameProcess,
  keepAudio: boolean,
  stop: () => void,
): Promise<{ conversion: Conversion; audioKept: boolean }> {
  const webm = request.container === 'webm';
  const stream = file.writable(stop);
  const output: Output = new Output({
    format: webm ? new WebMOutputFormat() : new Mp4OutputFormat({ fastStart: false }),
    target: new StreamTarget(webm ? stream : withXmpUuidBox(stream, () => output.state !== 'canceled')),
  });
  const canHold = output.format.getSupportedAudioCodecs();
  const conversion = await Conversion.init({
    input: opened.input,
    output,
    tracks: 'primary',
    trim: request.trim && { start: request.trim.startS, end: request.trim.endS },
    video: {
      codec: containers[request.container].codec,
      quality: qualities[request.quality],
      forceTranscode: true,
      process,
    },
    audio: async (track: InputAudioTrack) => {
      const codec = await track.getCodec();
      return keepAudio && codec && canHold.includes(codec) ? {} : { discard: true };
    },
    tags: aiEditedVideoTags(request.container),
    // WebM wants no negative timestamps: copy only audio packets inside the trim range.
    copy: { boundaryPolicy: webm ? 'shrink' : 'expand' },
    showWarnings: false,
  });
  const video = conversion.discardedTracks.find((d) => d.track.isVideoTrack());
  if (video || !conversion.isValid) {
    const reason = video?.reason ?? 'invalid conversion';
    await conversion.cancel();
    throw new DoppelError(
      reason.includes('codec') ? 'VIDEO_CODEC_UNSUPPORTED' : 'VIDEO_UNREADABLE',
      undefined,
      {
        cause: reason,
      },
    );
  }
  const audio = output.tracks.find((t) => t.isAudioTrack());
  const audioKept = audio?.source instanceof EncodedAudioPacketSource;
  if (audio && !audioKept) {
    // Let go of this Output, still bound to the file's stream, before the retry binds another.
    await conversion.cancel();
    return prepare(opened, request, file, process, false, stop);
  }
  return { conversion, audioKept };
}

/**
 * Swaps every frame of a video into an OPFS file (`video-output/<outputName>`), streamed: the
 * input is read in slices, frames pass one at a time under mediabunny's backpressure, and the
 * output is written as it is muxed. The faces chosen (by `choice`: in the first frame at the trim
 * start are tracked with smoothed meshes over the frames' real timestamps; a frame where every
 * tracked face is lost is kept as decoded. Audio is copied, never re-encoded. On failure or
 * cancel the file is removed.
 */
export async function swapVideoFile(
  request: VideoSwapRequest,
  choice: FrameChoice,
  swapper: FrameSwapper,
  controls: VideoJobControls,
): Promise<VideoSwapOutput> {
  const { signal } = controls;
  const opened = await openVideo(request.video);
  let file: OpfsOutputFile | null = null;
  let conversion: Conversion | null = null;
  const stop = () => void conversion?.cancel();
  signal.addEventListener('abort', stop);
  try {
    const width = await opened.track.getDisplayWidth();
    const height = await opened.track.getDisplayHeight();
    await checkEncodable(request.container, width, height, request.quality);
    const audioTrack = await opened.input.getPrimaryAudioTrack();
    await checkComplete(audioTrack ? [opened.track, audioTrack] : [opened.track]);
    const counted = await countFrames(opened.track, request.trim?.startS, request.trim?.endS, signal);
    const framesTotal = counted.inRange;
    file = await OpfsOutputFile.create(request.outputName).catch((error: unknown) => {
      throw storageError(error);
    });
    const loop = new FrameLoop(choice, swapper, controls, framesTotal);
    const prepared = await prepare(opened, request, file, loop.process, true, stop).catch(
      (error: unknown) => {
        throw unreadable(storageError(error));
      },
    );
    conversion = prepared.conversion;
    if (signal.aborted) throw cancelled();
    await conversion.execute();
    if (file.failure) throw file.failure;
    checkFramesRead(loop.framesDone, framesTotal);
    const finalizeStarted = performance.now();
    const mimeType = await conversion.output.getMimeType();
    const finished = file.finish();
    const bytes = request.container === 'mp4' ? await signVideoOutput(file.name, finished) : finished;
    loop.add('finalize', finalizeStarted);
    loop.ms.total = loop.workMs();
    return {
      outputName: request.outputName,
      mimeType,
      bytes,
      frames: loop.framesDone,
      durationS: loop.endS,
      frameRate: counted.frameRate,
      fps: loop.fps(),
      facesTracked: choice.count,
      framesSwapped: loop.framesSwapped,
      dropoutFrames: loop.dropoutFrames,
      audioKept: prepared.audioKept,
      ms: loop.ms,
    };
  } catch (error) {
    await conversion?.cancel().catch(() => undefined);
    await file?.discard();
    if (file?.failure) throw file.failure;
    if (signal.aborted || error instanceof ConversionCanceledError) throw cancelled();
    const mapped = storageError(error);
    if (isDoppelError(mapped) || (mapped instanceof DOMException && mapped.name === 'AbortError'))
      throw mapped;
    throw unreadable(mapped);
  } finally {
    signal.removeEventListener('abort', stop);
    opened.input.dispose();
  }
}
