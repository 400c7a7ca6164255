import { useEffect, useRef } from 'preact/hooks';
import { lastKept } from '../history/history-state';
import { result, type GifOutcome, type SwapOutcome } from '../state/swap';
import { CompareSlider } from './CompareSlider';
import { Download } from './Download';

function ranOn({ engine, provider }: SwapOutcome | GifOutcome): string {
  if (engine === 'builtin') return 'built-in engine';
  if (!provider) return 'neural engine';
  return `neural engine on ${provider === 'webgpu' ? 'WebGPU' : 'WebAssembly'}`;
}

function EngineTag({ outcome }: { outcome: SwapOutcome | GifOutcome }) {
  return (
    <span data-testid="result-engine" data-engine={outcome.engine} data-provider={outcome.provider}>
      ({ranOn(outcome)})
    </span>
  );
}

/** A swapped photo: facts and a before/after slider. */
function PhotoResult({ outcome }: { outcome: SwapOutcome }) {
  return (
    <>
      <p class="hint">
        {outcome.facesSwapped === 1 ? '1 face swapped' : `${outcome.facesSwapped} faces swapped`}{' '}
        <EngineTag outcome={outcome} />. Drag the divider or use the arrow keys to compare.
      </p>
      {outcome.skipped.length > 0 && (
        <ul class="notice" data-testid="result-skipped" aria-label="Faces left as they were">
          {outcome.skipped.map((skip) => (
            <li key={skip.face} data-face={skip.face}>
              Target face {skip.face + 1} was not swapped: {skip.reason}
            </li>
          ))}
        </ul>
      )}
      {outcome.notice && (
        <p class="notice" role="status" data-testid="result-notice">
          {outcome.notice}
        </p>
      )}
      <CompareSlider
        beforeUrl={outcome.targetUrl}
        after={outcome.bitmap}
        width={outcome.width}
        height={outcome.height}
      />
    </>
  );
}

/** A swapped animated GIF playing next to the original (History keeps photos only). */
function GifResult({ outcome }: { outcome: GifOutcome }) {
  return (
    <>
      <p class="hint">
        {outcome.facesTracked === 1 ? '1 face' : `${outcome.facesTracked} faces`} followed through{' '}
        {outcome.frames} frames, swapped in {outcome.framesSwapped} <EngineTag outcome={outcome} />. Frame
        delays and the loop count are kept. Drag the divider or use the arrow keys to compare. Animated
        results are not kept in History: download to keep this one.
      </p>
      <CompareSlider
        beforeUrl={outcome.targetUrl}
        after={outcome.url}
        width={outcome.width}
        height={outcome.height}
        beforeAlt="Target GIF before the swap"
        afterAlt="Swapped GIF"
      />
    </>
  );
}

/** The swapped photo or GIF compared with the target, and its download. */
export function ResultView() {
  const outcome = result.value;
  const section = useRef<HTMLElement>(null);
  const heading = useRef<HTMLHeadingElement>(null);
  const shownId = outcome && (outcome.kind === 'gif' ? outcome.url : outcome.resultId);
  useEffect(() => {
    if (!shownId) return;
    section.current?.scrollIntoView({ block: 'start', behavior: 'smooth' });
    heading.current?.focus({ preventScroll: true });
  }, [shownId]);
  if (!outcome) return null;
  const kept = lastKept.value;
  return (
    <section
      ref={section}
      class="result"
      aria-labelledby="result-heading"
      data-testid="result"
      data-history={kept && kept.resultId === shownId ? (kept.kept ? 'kept' : 'not-kept') : undefined}
    >
      <h2 ref={heading} id="result-heading" tabIndex={-1}>
        Result
      </h2>
      {outcome.kind === 'gif' ? <GifResult outcome={outcome} /> : <PhotoResult outcome={outcome} />}
      <Download />
    </section>
  );
}
