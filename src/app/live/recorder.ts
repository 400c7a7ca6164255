import { DoppelError } from '../../shared/errors';

const webmTypes = ['video/webm;codecs=vp9', 'video/webm;codecs=vp8', 'video/webm'];

/**
 * A recording of what a canvas shows, as WebM, made by MediaRecorder over canvas.captureStream and
 * tagged AI-edited (a Matroska tag) when it stops.
 */
export class CanvasRecorder {
  private readonly chunks: Blob[] = [];
  private readonly recorder: MediaRecorder;
  private readonly finished: Promise<Blob>;

  constructor(canvas: HTMLCanvasElement) {
    const mimeType =
      typeof MediaRecorder === 'function'
        ? webmTypes.find((type) => MediaRecorder.isTypeSupported(type))
        : undefined;
    if (!mimeType || typeof canvas.captureStream !== 'function') throw new DoppelError('RECORDING_FAILED');
    this.recorder = new MediaRecorder(canvas.captureStream(), { mimeType });
    this.recorder.addEventListener('dataavailable', (event) => {
      if (event.data.size > 0) this.chunks.push(event.data);
    });
    this.finished = new Promise((resolve, reject) => {
      this.recorder.addEventListener('stop', () => resolve(labelled(new Blob(this.chunks))));
      this.recorder.addEventListener('error', () => reject(new DoppelError('RECORDING_FAILED')));
    });
    this.recorder.start(1000);
  }

  /** Stops recording; resolves with the whole WebM file. */
  stop(): Promise<Blob> {
    if (this.recorder.state !== 'inactive') this.recorder.stop();
    for (const track of this.recorder.stream.getTracks()) track.stop();
    return this.finished;
  }
}

/** The recording remuxed with its AI-edited tag (mediabunny loads only when a recording ends). */
async function labelled(webm: Blob): Promise<Blob> {
  try {
    const { labelWebm } = await import('../../shared/video-label');
    return await labelWebm(webm);
  } catch (error) {
    throw new DoppelError('RECORDING_FAILED', undefined, { cause: String(error) });
  }
}

/** `doppel-live-2026-11-25-2308.webm`, from the local time the recording ended. */
export function recordingName(at: Date): string {
  const two = (n: number) => String(n).padStart(2, '0');
  const day = `${at.getFullYear()}-${two(at.getMonth() + 1)}-${two(at.getDate())}`;
  return `doppel-live-${day}-${two(at.getHours())}${two(at.getMinutes())}${two(at.getSeconds())}.webm`;
}
