import { useEffect } from 'preact/hooks';
import { BackendStatus } from './components/BackendStatus';
import { ConsentDialog } from './components/ConsentDialog';
import { listenForPageEvents } from './page-events';
import { currentScreen, listenForNavigation } from './screens/navigation';
import { screens } from './screens/screens';
import { consented } from './state/consent';
import { readyEngine } from './state/engine';

/**
 * The app shell: header with navigation, every screen (inactive ones hidden, so their state and
 * results stay as they were) and the first-run consent dialog.
 */
export function App() {
  useEffect(() => {
    readyEngine().catch(() => undefined);
    const stopPage = listenForPageEvents();
    const stopNavigation = listenForNavigation();
    return () => {
      stopPage();
      stopNavigation();
    };
  }, []);

  return (
    <>
      <header class="app-header">
        <div class="brand">
          <h1>Doppel</h1>
          <p class="promise">Your photos never leave this device.</p>
          <a href="verify.html">Verify this build</a>
        </div>
        {screens.length > 1 && (
          <nav class="screens" aria-label="Screens">
            {screens.map((s) => (
              <a
                key={s.id}
                href={`#/${s.id}`}
                aria-current={currentScreen.value === s.id ? 'page' : undefined}
              >
                {s.label}
              </a>
            ))}
          </nav>
        )}
        <BackendStatus />
      </header>
      <main inert={!consented.value}>
        {screens.map(({ id, component: Component }) => (
          <div key={id} hidden={currentScreen.value !== id} data-screen={id}>
            <Component />
          </div>
        ))}
      </main>
      {!consented.value && <ConsentDialog />}
    </>
  );
}
