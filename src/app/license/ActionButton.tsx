import { licenseBusy, type LicenseAction } from './license-state';

interface Props {
  action: LicenseAction;
  label: string;
  /** Shown while this action's request runs. */
  busyLabel: string;
  onPress: () => unknown;
  testId: string;
  primary?: boolean;
}

/** A License screen button: disabled while any license request runs, saying so while its own does. */
export function ActionButton({ action, label, busyLabel, onPress, testId, primary = false }: Props) {
  const busy = licenseBusy.value;
  return (
    <button
      type="button"
      class={primary ? 'primary' : undefined}
      disabled={busy !== null}
      onClick={() => void onPress()}
      data-testid={testId}
    >
      {busy === action ? busyLabel : label}
    </button>
  );
}
