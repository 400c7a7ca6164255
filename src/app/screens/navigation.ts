import { signal } from '@preact/signals';

/** Every screen's id (shown in the URL as #/id), in navigation order; the first is the default. */
export const screenIds = [
  'swap',
  'video',
  'live',
  'models',
  'history',
  'settings',
  'license',
  'privacy',
  'check',
  'limits',
] as const;

export type ScreenId = (typeof screenIds)[number];

function fromHash(): ScreenId {
  const id = location.hash.replace(/^#\/?/, '').split('?')[0] ?? '';
  return screenIds.find((s) => s === id) ?? screenIds[0];
}

/** The screen shown now; the screens read it to know whether they are in view. */
export const currentScreen = signal<ScreenId>(fromHash());

export function listenForNavigation(): () => void {
  const update = () => (currentScreen.value = fromHash());
  window.addEventListener('hashchange', update);
  return () => window.removeEventListener('hashchange', update);
}
