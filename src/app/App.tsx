import { useEffect, useRef } from 'preact/hooks';
import { BackendStatus } from './components/BackendStatus';
import { ConsentDialog } from './components/ConsentDialog';
import { listenForPageEvents } from './page-events';
import { currentScreen, listenForNavigation } from './screens/navigation';
import { screens } from './screens/screens';
import { consented } from './state/consent';
import { readyEngine } from './state/engine';

/**
 * The app shell: a skip link, header with navigation, every screen (inactive ones hidden, so their
 * state and results stay as they were) and the first-run consent dialog. Once consent is given,
 * focus moves into the app (the dialog would otherwise leave it on the page's body).
 */
export function App() {
  const main = useRef<HTMLElement>(null);
  const askedConsent = useRef(!consented.value);
  useEffect(() => {
    readyEngine().catch(() => undefined);
    const stopPage = listenForPageEvents();
    const stopNavigation = listenForNavigation();
    return () => {
      stopPage();
      stopNavigation();
    };
  }, []);
  useEffect(() => {
    if (!consented.value || !askedConsent.current) return;
    askedConsent.current = false;
    main.current?.focus();
  }, [consented.value]);

  // The screens are routed by the hash, so the skip link moves focus itself instead of navigating.
  const skip = (event: MouseEvent) => {
    event.preventDefault();
    main.current?.focus();
  };

  return (
    <>
      <a class="skip-link" href="#main" onClick={skip} data-testid="skip-link">
        Skip to the app
      </a>
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
      <main ref={main} id="main" tabIndex={-1} inert={!consented.value}>
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
