import type { LiveFrameResult } from '../../workers/engine/client';

/** What the Live screen shows about the running camera. */
export interface LiveFigures {
  /** Swapped frames drawn per second, over the last second. */
  fps: number;
  /** From the frame reaching the page to it being drawn, averaged over recent frames. */
  latencyMs: number;
  /** Time inside the worker per frame, averaged over recent frames. */
  workerMs: number;
  frames: number;
  /** Camera frames closed unswapped because the worker was still busy. */
  dropped: number;
  /** Faces swapped in the last frame drawn. */
  faces: number;
}

/** Weight of the newest frame in the running averages. */
const smoothing = 0.2;

/** Counts drawn and dropped frames; publishes the figures with each frame drawn, and twice a second. */
export class LiveStats {
  dropped = 0;
  private frames = 0;
  private faces = 0;
  private latencyMs = 0;
  private workerMs = 0;
  private readonly recent: number[] = [];
  private readonly timer: ReturnType<typeof setInterval>;

  constructor(private readonly publish: (figures: LiveFigures) => void) {
    this.timer = setInterval(() => {
      if (this.frames > 0) publish(this.figures());
    }, 500);
  }

  /** Records a frame drawn now, captured at `capturedAt` (performance.now() time). */
  drawn(capturedAt: number, result: LiveFrameResult): void {
    const now = performance.now();
    const average = (previous: number, value: number) =>
      this.frames === 0 ? value : previous + smoothing * (value - previous);
    this.latencyMs = average(this.latencyMs, now - capturedAt);
    this.workerMs = average(this.workerMs, result.ms);
    this.faces = result.facesSwapped;
    this.frames++;
    this.recent.push(now);
    while ((this.recent[0] ?? now) < now - 1000) this.recent.shift();
    this.publish(this.figures());
  }

  figures(): LiveFigures {
    const now = performance.now();
    return {
      fps: this.recent.filter((t) => t >= now - 1000).length,
      latencyMs: Math.round(this.latencyMs),
      workerMs: Math.round(this.workerMs),
      frames: this.frames,
      dropped: this.dropped,
      faces: this.faces,
    };
  }

  stop(): void {
    clearInterval(this.timer);
  }
}
