import { signal } from '@preact/signals';
import { useEffect } from 'preact/hooks';
import { currentScreen } from '../screens/navigation';
import { runChecks, type CheckReport } from './probes';
import { verdicts } from './verdicts';

const report = signal<CheckReport | null>(null);
const copied = signal<'copied' | 'failed' | null>(null);
let running: Promise<void> | null = null;

function measure(): Promise<void> {
  running ??= runChecks().then((r) => {
    report.value = r;
    running = null;
  });
  return running;
}

/** The report as shared: what was measured, no media, no identifiers. */
function reportJson(measured: CheckReport): string {
  return JSON.stringify({ doppelSystemCheck: 1, ...measured }, null, 2);
}

async function copyReport(measured: CheckReport): Promise<void> {
  try {
    await navigator.clipboard.writeText(reportJson(measured));
    copied.value = 'copied';
  } catch {
    copied.value = 'failed';
  }
}

/**
 * The system check (#/check): measures this browser when the screen is first shown (WebGPU,
 * threads, WASM SIMD, WebCodecs, storage, memory, camera) and says what each feature can do here.
 */
export function CheckScreen() {
  const inView = currentScreen.value === 'check';
  useEffect(() => {
    if (inView && !report.value) void measure();
  }, [inView]);
  const measured = report.value;
  return (
    <section class="check" aria-labelledby="check-title">
      <h2 id="check-title">System check</h2>
      {!measured ? (
        <p data-testid="check-running">Measuring this browser…</p>
      ) : (
        <>
          <ul class="check-verdicts" data-testid="check-verdicts">
            {verdicts(measured).map((v) => (
              <li key={v.feature} data-ok={v.ok}>
                <strong>{v.feature}:</strong> {v.text}
              </li>
            ))}
          </ul>
          <p>
            <button type="button" onClick={() => void copyReport(measured)} data-testid="check-copy">
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
            <pre data-testid="check-report">{reportJson(measured)}</pre>
          </details>
        </>
      )}
    </section>
  );
}
