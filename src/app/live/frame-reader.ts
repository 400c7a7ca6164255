/** How camera frames reach the page: MediaStreamTrackProcessor, or a <video> and requestVideoFrameCallback. */
export type FrameReaderKind = 'track-processor' | 'video-frame-callback';

/** Hands over one camera frame; the receiver owns it and closes it. `capturedAt` is in performance.now() time. */
type FrameSink = (frame: VideoFrame | ImageBitmap, capturedAt: number) => void;

export interface FrameReader {
  kind: FrameReaderKind;
  /** Stops reading; frames already handed over stay the receiver's. */
  stop(): void;
}

/** MediaStreamTrackProcessor (Chromium): not yet in TypeScript's DOM types. */
type TrackProcessorConstructor = new (init: { track: MediaStreamTrack }) => {
  readable: ReadableStream<VideoFrame>;
};

function trackProcessor(): TrackProcessorConstructor | undefined {
  return (globalThis as { MediaStreamTrackProcessor?: TrackProcessorConstructor }).MediaStreamTrackProcessor;
}

function readWithProcessor(
  Processor: TrackProcessorConstructor,
  track: MediaStreamTrack,
  sink: FrameSink,
  onError: (error: unknown) => void,
): FrameReader {
  const reader = new Processor({ track }).readable.getReader();
  let stopped = false;
  void (async () => {
    for (;;) {
      const { value, done } = await reader.read();
      if (done) return;
      if (stopped) value.close();
      else sink(value, performance.now());
    }
  })().catch((error: unknown) => {
    if (!stopped) onError(error);
  });
  return {
    kind: 'track-processor',
    stop() {
      stopped = true;
      void reader.cancel().catch(() => undefined);
    },
  };
}

/** Each new frame of a playing <video> (kept in the page, all but invisible, so that it is rendered). */
function readWithVideo(
  track: MediaStreamTrack,
  sink: FrameSink,
  onError: (error: unknown) => void,
): FrameReader {
  const video = document.createElement('video');
  video.muted = true;
  video.playsInline = true;
  video.setAttribute('aria-hidden', 'true');
  video.className = 'live-camera-feed';
  video.srcObject = new MediaStream([track]);
  document.body.append(video);
  let stopped = false;
  let handle = 0;
  const onVideoFrame: VideoFrameRequestCallback = (now, metadata) => {
    if (stopped) return;
    handle = video.requestVideoFrameCallback(onVideoFrame);
    const capturedAt = metadata.captureTime ?? now;
    if (typeof VideoFrame === 'function') {
      let frame: VideoFrame;
      try {
        frame = new VideoFrame(video, { timestamp: Math.round(metadata.mediaTime * 1e6) });
      } catch (error) {
        return onError(error);
      }
      sink(frame, capturedAt);
    } else {
      createImageBitmap(video).then(
        (bitmap) => (stopped ? bitmap.close() : sink(bitmap, capturedAt)),
        onError,
      );
    }
  };
  handle = video.requestVideoFrameCallback(onVideoFrame);
  video.play().catch(onError);
  return {
    kind: 'video-frame-callback',
    stop() {
      stopped = true;
      video.cancelVideoFrameCallback(handle);
      video.srcObject = null;
      video.remove();
    },
  };
}

/**
 * Reads the camera track frame by frame into `sink`: with MediaStreamTrackProcessor where the
 * browser has it (VideoFrames straight from the capture pipeline), else from a <video> element on
 * each requestVideoFrameCallback.
 */
export function readFrames(
  track: MediaStreamTrack,
  sink: FrameSink,
  onError: (error: unknown) => void,
): FrameReader {
  const Processor = trackProcessor();
  return Processor ? readWithProcessor(Processor, track, sink, onError) : readWithVideo(track, sink, onError);
}
