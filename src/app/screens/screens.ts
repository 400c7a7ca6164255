import { signal } from '@preact/signals';
import type { ComponentType } from 'preact';
import { HistoryScreen } from './HistoryScreen';
import { LicenseScreen } from './LicenseScreen';
import { LiveScreen } from './LiveScreen';
import { ModelsScreen } from './ModelsScreen';
import { PrivacyScreen } from './PrivacyScreen';
import { SwapScreen } from './SwapScreen';
import { VideoScreen } from './VideoScreen';

export interface Screen {
  /** Shown in the URL as #/id. */
  id: string;
  label: string;
  component: ComponentType;
}

/** Every screen, in navigation order; the first is the default. */
export const screens: Screen[] = [
  { id: 'swap', label: 'Swap', component: SwapScreen },
  { id: 'video', label: 'Video', component: VideoScreen },
  { id: 'live', label: 'Live', component: LiveScreen },
  { id: 'models', label: 'Models', component: ModelsScreen },
  { id: 'history', label: 'History', component: HistoryScreen },
  { id: 'license', label: 'License', component: LicenseScreen },
  { id: 'privacy', label: 'Privacy', component: PrivacyScreen },
];

function fromHash(): string {
  const id = location.hash.replace(/^#\/?/, '').split('?')[0] ?? '';
  return screens.some((s) => s.id === id) ? id : (screens[0]?.id ?? 'swap');
}

export const currentScreen = signal(fromHash());

export function listenForNavigation(): () => void {
  const update = () => (currentScreen.value = fromHash());
  window.addEventListener('hashchange', update);
  return () => window.removeEventListener('hashchange', update);
}
