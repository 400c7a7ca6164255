import type { ComponentType } from 'preact';
import { CheckScreen } from '../check/CheckScreen';
import { LimitsScreen } from '../limits/LimitsScreen';
import { HistoryScreen } from './HistoryScreen';
import { LicenseScreen } from './LicenseScreen';
import { LiveScreen } from './LiveScreen';
import { ModelsScreen } from './ModelsScreen';
import type { ScreenId } from './navigation';
import { PrivacyScreen } from './PrivacyScreen';
import { SettingsScreen } from './SettingsScreen';
import { SwapScreen } from './SwapScreen';
import { VideoScreen } from './VideoScreen';

export interface Screen {
  id: ScreenId;
  label: string;
  component: ComponentType;
}

/** Every screen, in navigation order (screenIds' order). */
export const screens: Screen[] = [
  { id: 'swap', label: 'Swap', component: SwapScreen },
  { id: 'video', label: 'Video', component: VideoScreen },
  { id: 'live', label: 'Live', component: LiveScreen },
  { id: 'models', label: 'Models', component: ModelsScreen },
  { id: 'history', label: 'History', component: HistoryScreen },
  { id: 'settings', label: 'Settings', component: SettingsScreen },
  { id: 'license', label: 'License', component: LicenseScreen },
  { id: 'privacy', label: 'Privacy', component: PrivacyScreen },
  { id: 'check', label: 'Check', component: CheckScreen },
  { id: 'limits', label: 'Limits', component: LimitsScreen },
];
