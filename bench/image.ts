import { AutomationSession, isAutomationError } from '../scripts/lib/automation';
import { sampleBase64 } from '../tests/fixtures/samples';
import { median, type ImageBenchResult, type PhotoFigures } from '../src/app/automation-bench';
import type { BackendChoice } from '../src/shared/config';

/**
 * Image swap benchmark, in headless Chromium on the built app, for a 1920x1280 photo with 3 faces
 * (face-api's sample1.jpg) and the source face from sample3.jpg, on the WASM path and on WebGPU:
 * - analyse: each photo once, as when it is picked, beside its floor (the face models alone for the
 *   same passes);
 * - swap: Swap pressed with both photos analysed, beside its floor (one copy of the target's pixels);
 * - cli: the end-to-end figure of `npm run swap` (decode both, analyse, swap, encode).
 * WASM runs twice, with the threads the browser offers and with one, side by side.
 * Every figure is the median of BENCH_RUNS warm runs after a warm-up. Prints JSON and a summary line.
 */
const runs = Number(process.env.BENCH_RUNS ?? 5);
const source = sampleBase64(3);
const target = sampleBase64(1);
const round = (ms: number) => Math.round(ms * 10) / 10;
const ratio = (a: number, b: number) => (b > 0 ? Math.round((a / b) * 100) / 100 : null);

function photo(figures: PhotoFigures) {
  const floor = figures.floors.detector + figures.floors.mesh;
  return {
    size: `${figures.width}x${figures.height}`,
    faces: figures.faces,
    passes: figures.passes,
    ms: round(figures.ms),
    floorMs: { detector: round(figures.floors.detector), mesh: round(figures.floors.mesh) },
    ratio: ratio(figures.ms, floor),
  };
}

async function measure(backend: BackendChoice, threads?: number) {
  const session = await AutomationSession.start(backend, undefined, { threads });
  try {
    const bench = (await session.page.evaluate((r) => window.doppel.benchImage(r), {
      source,
      target,
      runs,
    })) as ImageBenchResult | { error: { code: string; message: string } };
    if (isAutomationError(bench)) throw new Error(`${bench.error.code}: ${bench.error.message}`);
    const cli: number[] = [];
    for (let i = 0; i <= runs; i++) {
      const result = await session.swap({ source, target, faces: 'all', format: 'png' });
      if (isAutomationError(result)) throw new Error(`${result.error.code}: ${result.error.message}`);
      if (i > 0) cli.push(result.ms.total);
    }
    const copy = bench.analyse.target.floors.copy;
    const swapMs = Object.fromEntries(Object.entries(bench.swap.ms).map(([k, v]) => [k, round(v)]));
    return {
      backend: session.info.backend,
      swapper: session.info.swapper,
      adapter: session.info.adapter,
      threads: session.info.threads,
      analyse: { source: photo(bench.analyse.source), target: photo(bench.analyse.target) },
      swap: {
        facesSwapped: bench.swap.facesSwapped,
        ms: swapMs,
        floorMs: { copy: round(copy) },
        ratio: ratio(bench.swap.ms.total ?? 0, copy),
      },
      cliMs: round(median(cli)),
    };
  } finally {
    await session.close();
  }
}

const wasm = await measure('wasm');
const wasmOneThread = await measure('wasm', 1);
const webgpu = process.env.BENCH_WEBGPU === '0' ? null : await measure('webgpu');
const report = {
  benchmark: 'image-swap',
  image: '1920x1280, 3 faces (sample1.jpg), source sample3.jpg',
  runs,
  note: 'medians of warm runs; the WebGPU path here is SwiftShader, a software adapter',
  wasm,
  wasmOneThread,
  webgpu,
};
console.log(JSON.stringify(report, null, 2));
const line = (r: typeof wasm) =>
  `${r.backend} ${r.threads}t: analyse target ${r.analyse.target.ms} ms (${r.analyse.target.ratio}x its models), swap ${r.swap.ms.total} ms (${r.swap.ratio}x a frame copy), cli ${r.cliMs} ms`;
console.log(
  `image-swap: ${[wasm, webgpu]
    .filter((r) => r !== null)
    .map(line)
    .join('; ')}`,
);
