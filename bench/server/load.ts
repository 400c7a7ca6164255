/** A closed-loop load generator: `concurrency` callers, each starting its next job when the last ends. */
export interface LoadFigures {
  requests: number;
  /** Jobs finished per second of wall time. */
  rps: number;
  /** Latency of the measured request, milliseconds. */
  p50Ms: number;
  p99Ms: number;
  /** Jobs whose measured request got an unexpected status. */
  errors: number;
}

/** One unit of work: its measured request's status and milliseconds. */
export type Job = () => Promise<{ status: number; ms: number }>;

/** Times a request, reading its body to the end. */
export async function timed(request: () => Promise<Response>): Promise<{ status: number; ms: number }> {
  const started = performance.now();
  const response = await request();
  await response.arrayBuffer();
  return { status: response.status, ms: performance.now() - started };
}

function percentile(sorted: number[], p: number): number {
  const value = sorted[Math.max(0, Math.ceil((p / 100) * sorted.length) - 1)] ?? 0;
  return Math.round(value * 100) / 100;
}

/** Runs jobs from `concurrency` callers until `durationMs` passes or `next` has no more work (null). */
export async function runLoad(
  concurrency: number,
  durationMs: number,
  next: () => Job | null,
  expectStatus = 200,
): Promise<LoadFigures> {
  const latencies: number[] = [];
  let errors = 0;
  const started = performance.now();
  const end = started + durationMs;
  const caller = async () => {
    for (let job = next(); job && performance.now() < end; job = next()) {
      const { status, ms } = await job();
      latencies.push(ms);
      if (status !== expectStatus) errors++;
    }
  };
  await Promise.all(Array.from({ length: concurrency }, caller));
  const wallMs = performance.now() - started;
  latencies.sort((a, b) => a - b);
  return {
    requests: latencies.length,
    rps: Math.round((latencies.length / wallMs) * 1000),
    p50Ms: percentile(latencies, 50),
    p99Ms: percentile(latencies, 99),
    errors,
  };
}
