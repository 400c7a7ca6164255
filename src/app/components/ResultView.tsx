import { useEffect, useRef } from 'preact/hooks';
import { result, type SwapOutcome } from '../state/swap';
import { CompareSlider } from './CompareSlider';
import { Download } from './Download';

function ranOn({ engine, provider }: SwapOutcome): string {
  if (engine === 'builtin') return 'built-in engine';
  if (!provider) return 'neural engine';
  return `neural engine on ${provider === 'webgpu' ? 'WebGPU' : 'WebAssembly'}`;
}

/** The swapped photo compared with the target, and its download. */
export function ResultView() {
  const outcome = result.value;
  const section = useRef<HTMLElement>(null);
  const heading = useRef<HTMLHeadingElement>(null);
  const resultId = outcome?.resultId;
  useEffect(() => {
    if (!resultId) return;
    section.current?.scrollIntoView({ block: 'start', behavior: 'smooth' });
    heading.current?.focus({ preventScroll: true });
  }, [resultId]);
  if (!outcome) return null;
  return (
    <section ref={section} class="result" aria-labelledby="result-heading" data-testid="result">
      <h2 ref={heading} id="result-heading" tabIndex={-1}>
        Result
      </h2>
      <p class="hint">
        {outcome.facesSwapped === 1 ? '1 face swapped' : `${outcome.facesSwapped} faces swapped`}{' '}
        <span data-testid="result-engine" data-engine={outcome.engine} data-provider={outcome.provider}>
          ({ranOn(outcome)})
        </span>
        . Drag the divider or use the arrow keys to compare.
      </p>
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
      <Download />
    </section>
  );
}
