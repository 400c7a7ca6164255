import { completeCheckout } from './license-state';

/** The Checkout Session id in `#/license?checkout=cs_…` (Stripe's success URL), or null. */
function checkoutSessionInHash(): string | null {
  const query = location.hash.split('?')[1];
  return query ? new URLSearchParams(query).get('checkout') : null;
}

/**
 * Watches for the return from Stripe Checkout: fetches the key of the paid session and activates it,
 * then leaves `#/license`. Returns the function that stops (and stops any wait in progress).
 */
export function watchCheckoutReturn(): () => void {
  let controller: AbortController | null = null;
  const check = () => {
    const sessionId = checkoutSessionInHash();
    if (!sessionId || controller) return;
    const current = new AbortController();
    controller = current;
    void completeCheckout(sessionId, current.signal).then((done) => {
      controller = null;
      if (done && !current.signal.aborted) history.replaceState(null, '', '#/license');
    });
  };
  check();
  window.addEventListener('hashchange', check);
  return () => {
    window.removeEventListener('hashchange', check);
    controller?.abort();
  };
}
