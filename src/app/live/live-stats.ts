import type { LiveFrameResult } from '../../workers/engine/client';

/** What the Live screen shows about the running camera. */
export interface LiveFigures {
  /** Swapped frames drawn per second, over the last second. */
  fps: number;
  /** From the frame reaching the page to it being drawn: the median over recent frames. */
  latencyMs: number;
  /** The same, the 95th percentile over recent frames. */
  latencyP95Ms: number;
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

/** Frames whose latency the percentiles are taken over. */
const latencyWindow = 120;

function percentile(values: readonly number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] ?? 0;
}

/** Counts drawn and dropped frames; publishes the figures with each frame drawn, and twice a second. */
export class LiveStats {
  dropped = 0;
  private frames = 0;
  private faces = 0;
  private readonly latencies: number[] = [];
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
    this.latencies.push(now - capturedAt);
    if (this.latencies.length > latencyWindow) this.latencies.shift();
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
      latencyMs: Math.round(percentile(this.latencies, 0.5)),
      latencyP95Ms: Math.round(percentile(this.latencies, 0.95)),
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
