import type { ComponentType } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { currentScreen } from '../screens/navigation';

/**
 * The measured limits (#/limits): the page and its figures load the first time the screen is shown
 * (their own chunk, precached with the rest of the app, so it works offline).
 */
export function LimitsScreen() {
  const inView = currentScreen.value === 'limits';
  const [Page, setPage] = useState<ComponentType | null>(null);
  const [failed, setFailed] = useState(false);
  useEffect(() => {
    if (!inView || Page) return;
    import('./LimitsPage').then(
      (module) => setPage(() => module.LimitsPage),
      () => setFailed(true),
    );
  }, [inView, Page]);
  if (Page) return <Page />;
  return (
    <section class="limits" aria-labelledby="limits-title">
      <h2 id="limits-title">Measured limits</h2>
      <p role={failed ? 'alert' : undefined}>
        {failed
          ? 'The measured limits could not be loaded. Reload the page.'
          : 'Loading the measured limits…'}
      </p>
    </section>
  );
}
