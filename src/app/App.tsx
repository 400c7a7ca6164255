import { useEffect } from 'preact/hooks';
import { BackendStatus } from './components/BackendStatus';
import { ConsentDialog } from './components/ConsentDialog';
import { PhotoPanel } from './components/PhotoPanel';
import { ResultView } from './components/ResultView';
import { SwapControls } from './components/SwapControls';
import { SwapOptions } from './components/SwapOptions';
import { listenForPageEvents } from './page-events';
import { consented } from './state/consent';
import { readyEngine } from './state/engine';
import { source, target } from './state/photos';

/** The Swap screen: two photos in, one swapped photo out. */
export function App() {
  useEffect(() => {
    readyEngine().catch(() => undefined);
    return listenForPageEvents();
  }, []);

  return (
    <>
      <header class="app-header">
        <div class="brand">
          <h1>Doppel</h1>
          <p class="promise">Your photos never leave this device.</p>
          <a href="verify.html">Verify this build</a>
        </div>
        <BackendStatus />
      </header>
      <main inert={!consented.value}>
        <div class="inputs">
          <PhotoPanel slot={source} title="Source photo" purpose="The face to use." />
          <PhotoPanel slot={target} title="Target photo" purpose="The photo whose faces are replaced." />
        </div>
        <section class="swap-bar" aria-label="Swap">
          <SwapOptions />
          <SwapControls />
        </section>
        <ResultView />
      </main>
      {!consented.value && <ConsentDialog />}
    </>
  );
}
