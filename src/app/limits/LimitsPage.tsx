import type { LimitsData } from './limits-data';
import limitsJson from './limits.json';
import './limits.css';

const data = limitsJson as LimitsData;

/** The pictures as data URLs, bundled into this page's chunk (so they are precached with it). */
const pictures = import.meta.glob<string>('./pictures/*.jpg', {
  eager: true,
  query: '?inline',
  import: 'default',
});

const backendWords: Record<string, string> = {
  wasm: 'the processor (WASM)',
  webgpu: 'the graphics card (WebGPU)',
};

/**
 * What the built-in engine can handle, as `npm run limits` measured it on this build's engine: each
 * limit with its figure and the picture that shows it. The figures are generated, never typed.
 */
export function LimitsPage() {
  const measured = new Date(data.measured);
  return (
    <section class="limits" aria-labelledby="limits-title">
      <h2 id="limits-title">Measured limits</h2>
      <p data-testid="limits-measured">
        What the built-in face swap can handle, measured on {measured.toISOString().slice(0, 10)} by sweeps
        over the demo photos, running on {backendWords[data.backend] ?? data.backend}. These are the figures
        of the engine in this build (its fingerprint: <code>{data.fingerprint.slice(0, 12)}</code>); they are
        measured, never typed by hand.
      </p>
      <div class="limits-list">
        {data.limits.map((limit) => (
          <figure key={limit.id} class="limit" data-testid="limit" data-limit={limit.id}>
            <img src={pictures[`./pictures/${limit.picture}`]} alt={limit.caption} />
            <figcaption>
              <strong>
                {limit.title}: <span data-testid="limit-value">{limit.value}</span>
                {limit.unit === '°' || limit.unit === '%' ? limit.unit : ` ${limit.unit}`}
              </strong>
              <span>{limit.summary}</span>
              <small>{limit.how}</small>
            </figcaption>
          </figure>
        ))}
      </div>
    </section>
  );
}
