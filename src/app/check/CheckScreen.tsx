import { signal } from '@preact/signals';
import { useEffect } from 'preact/hooks';
import { currentScreen } from '../screens/navigation';
import { runChecks, type CheckReport } from './probes';
import { verdicts, type Speed } from './verdicts';

const report = signal<CheckReport | null>(null);
const speed = signal<Speed>(null);
const copied = signal<'copied' | 'failed' | null>(null);
let running: Promise<void> | null = null;

/** The engine's speed on the bundled photo (its own chunk, loaded here); a failure is reported as missing. */
async function measureSpeed(): Promise<void> {
  speed.value = null;
  try {
    const { measureSpeed } = await import('./speed');
    speed.value = await measureSpeed();
  } catch (error) {
    speed.value = { missing: error instanceof Error ? error.message : String(error) };
  }
}

function measure(): Promise<void> {
  running ??= Promise.all([
    runChecks().then((r) => {
      report.value = r;
    }),
    measureSpeed(),
  ]).then(() => {
    running = null;
  });
  return running;
}

/** The report as shared: what was measured (speed once it is), no media, no identifiers. */
function reportJson(measured: CheckReport, speed: Speed): string {
  return JSON.stringify({ doppelSystemCheck: 1, ...measured, ...(speed && { speed }) }, null, 2);
}

async function copyReport(measured: CheckReport, speed: Speed): Promise<void> {
  try {
    await navigator.clipboard.writeText(reportJson(measured, speed));
    copied.value = 'copied';
  } catch {
    copied.value = 'failed';
  }
}

/**
 * The system check (#/check): measures this browser when the screen is first shown (WebGPU,
 * threads, WASM SIMD, WebCodecs, storage, memory, camera, and the engine's speed on a bundled
 * photo) and says what each feature can do here.
 */
export function CheckScreen() {
  const inView = currentScreen.value === 'check';
  useEffect(() => {
    if (inView && !report.value) void measure();
  }, [inView]);
  const measured = report.value;
  const measuredSpeed = speed.value;
  return (
    <section class="check" aria-labelledby="check-title">
      <h2 id="check-title">System check</h2>
      {!measured ? (
        <p data-testid="check-running">Measuring this browser…</p>
      ) : (
        <>
          <ul
            class="check-verdicts"
            data-testid="check-verdicts"
            data-speed={measuredSpeed === null ? 'measuring' : 'done'}
          >
            {verdicts(measured, measuredSpeed).map((v) => (
              <li key={v.feature} data-ok={v.ok}>
                <strong>{v.feature}:</strong> {v.text}
              </li>
            ))}
          </ul>
          <p>
            <button
              type="button"
              onClick={() => void copyReport(measured, measuredSpeed)}
              data-testid="check-copy"
            >
              Copy report
            </button>{' '}
            <button type="button" onClick={() => void measure()}>
              Measure again
            </button>{' '}
            {copied.value === 'copied' && <span role="status">Copied.</span>}
            {copied.value === 'failed' && (
              <span role="status">This browser refused the clipboard; copy the report below.</span>
            )}
          </p>
          <details>
            <summary>The report (no media, no identifiers)</summary>
            <pre data-testid="check-report">{reportJson(measured, measuredSpeed)}</pre>
          </details>
        </>
      )}
    </section>
  );
}
