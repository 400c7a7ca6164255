import { AutomationSession, isAutomationError, type AutomationResult } from '../scripts/lib/automation';
import { sampleBase64 } from '../tests/fixtures/samples';
import type { BackendChoice } from '../src/shared/config';

/**
 * Image swap benchmark: ms per stage for a 1920x1280 photo with 3 faces (face-api's sample1.jpg,
 * source face from sample3.jpg), on the WASM path and on the WebGPU path, in headless Chromium.
 * Prints one JSON object and a one-line summary. Nothing here is asserted.
 */
const runs = Number(process.env.BENCH_RUNS ?? 2);
const source = sampleBase64(3);
const target = sampleBase64(1);

async function measure(backend: BackendChoice) {
  const session = await AutomationSession.start(backend);
  try {
    const samples: AutomationResult[] = [];
    for (let i = 0; i < runs; i++) {
      const result = await session.swap({ source, target, faces: 'all', format: 'png' });
      if (isAutomationError(result)) throw new Error(`${result.error.code}: ${result.error.message}`);
      samples.push(result);
    }
    const last = samples.at(-1)!;
    const stages = Object.keys(last.ms) as (keyof typeof last.ms)[];
    const median = (values: number[]) => values.sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
    return {
      backend: last.backend,
      swapper: last.swapper,
      adapter: session.info.adapter,
      facesSwapped: last.facesSwapped,
      runs,
      ms: Object.fromEntries(
        stages.map((s) => [
          s === 'detect' ? 'detect+mesh' : s,
          Math.round(median(samples.map((r) => r.ms[s] ?? 0))),
        ]),
      ),
    };
  } finally {
    await session.close();
  }
}

const report = {
  benchmark: 'image-swap',
  image: '1920x1280, 3 faces (sample1.jpg), source sample3.jpg',
  note: 'detect+mesh covers both photos (source and target); the WebGPU path here is SwiftShader, a software adapter',
  wasm: await measure('wasm'),
  webgpu: await measure('webgpu'),
};
console.log(JSON.stringify(report, null, 2));
console.log(
  `image-swap: wasm total ${report.wasm.ms.total} ms (${report.wasm.swapper} kernels), webgpu total ${report.webgpu.ms.total} ms (${report.webgpu.swapper} kernels on ${report.webgpu.adapter})`,
);
