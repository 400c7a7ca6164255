import { useEffect } from 'preact/hooks';
import { BackendSettings } from '../settings/BackendSettings';
import { PresetSettings } from '../settings/PresetSettings';
import { RememberedOptions } from '../settings/RememberedOptions';
import { StorageSettings } from '../settings/StorageSettings';
import { ThreadsSettings } from '../settings/ThreadsSettings';
import { refreshStorageUse } from '../settings/storage-use';
import { currentScreen } from './navigation';
import '../settings/settings.css';

/**
 * The Settings screen: where the face models run (and why), quality presets for video and the live
 * camera, the options Doppel remembers with "Reset to defaults", storage used and "Clear everything".
 */
export function SettingsScreen() {
  const shown = currentScreen.value === 'settings';
  useEffect(() => {
    if (shown) void refreshStorageUse();
  }, [shown]);
  return (
    <section class="settings" aria-labelledby="settings-title">
      <h2 id="settings-title">Settings</h2>
      <BackendSettings />
      <ThreadsSettings />
      <PresetSettings />
      <RememberedOptions />
      <StorageSettings />
    </section>
  );
}
