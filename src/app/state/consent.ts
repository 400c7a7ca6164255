import { signal } from '@preact/signals';

const storageKey = 'doppel.consent';

function stored(): boolean {
  try {
    return localStorage.getItem(storageKey) === 'yes';
  } catch {
    return false;
  }
}

/** Whether the user confirmed they have the right to use the faces they add. */
export const consented = signal(stored());

export function acceptConsent(): void {
  consented.value = true;
  try {
    localStorage.setItem(storageKey, 'yes');
  } catch {
    // Storage can be disabled; the confirmation then lasts for this visit only.
  }
}
