import { signal } from '@preact/signals';
import { messageSW, Workbox } from 'workbox-window';
import type { SwMessage } from '../../shared/runtime-files';
import { engineStatus } from '../state/engine';
import { busy } from './busy';
import { consumeLaunchedFiles } from './launch-queue';
import { pickUpSharedFiles } from './shared-files';
import { when } from './when';

/**
 * 'none': nothing to offer; 'ready': a new version waits for the user; 'applying': the user
 * accepted and the page reloads as soon as no job runs.
 */
export type UpdateState = 'none' | 'ready' | 'applying';

export const updateState = signal<UpdateState>('none');
/** True once the app shell, the models and this device's wasm are in the service worker's caches. */
export const offlineReady = signal(false);

let workbox: Workbox | null = null;
/** Set when this page asked the waiting worker to take over (then its 'controlling' means: reload). */
let requested = false;
/** Set when another tab already activated the new worker: only a reload is left to do. */
let activated = false;

/** Runs `then` once no job is running (at once when idle). */
function whenIdle(then: () => void): void {
  when(() => !busy.value, then);
}

/** The user accepted the update: activate the new worker and reload, but never during a job. */
export function applyUpdate(): void {
  if (updateState.value !== 'ready') return;
  updateState.value = 'applying';
  whenIdle(() => {
    if (!workbox || activated) {
      location.reload();
      return;
    }
    requested = true;
    workbox.messageSkipWaiting();
  });
}

export function dismissUpdate(): void {
  if (updateState.value === 'ready') updateState.value = 'none';
}

function controller(): Promise<ServiceWorker> {
  const current = navigator.serviceWorker.controller;
  if (current) return Promise.resolve(current);
  return new Promise((resolve) => {
    navigator.serviceWorker.addEventListener('controllerchange', function changed() {
      const now = navigator.serviceWorker.controller;
      if (!now) return;
      navigator.serviceWorker.removeEventListener('controllerchange', changed);
      resolve(now);
    });
  });
}

/**
 * On the first visit the engine fetched its models and wasm before the service worker existed;
 * once both are ready, the worker copies those files from the HTTP cache into its own caches.
 */
async function makeAvailableOffline(): Promise<void> {
  const engineReady = new Promise<void>((resolve) =>
    when(() => engineStatus.value.state === 'ready', resolve),
  );
  const [sw] = await Promise.all([controller(), engineReady]);
  const message: SwMessage = { type: 'ADOPT_LOADED_FILES' };
  const reply = (await messageSW(sw, message)) as { ok: boolean } | undefined;
  if (reply?.ok) {
    offlineReady.value = true;
    document.documentElement.dataset.offline = 'ready';
  }
}

/**
 * Registers the service worker (built app only; the dev server and the automation page run
 * without one), offers updates to the user, and takes files the OS hands to the app.
 */
export function startPwa(): void {
  consumeLaunchedFiles();
  void pickUpSharedFiles().catch(() => undefined);
  // Not under the dev server (import.meta.hot exists only there). import.meta.env.PROD is not the
  // test: a build made inside vitest (NODE_ENV=test) is not a production-mode build.
  if (import.meta.hot || !('serviceWorker' in navigator)) return;
  workbox = new Workbox(`${import.meta.env.BASE_URL}sw.js`, { scope: import.meta.env.BASE_URL });
  workbox.addEventListener('waiting', () => {
    if (updateState.value === 'none') updateState.value = 'ready';
  });
  workbox.addEventListener('controlling', (event) => {
    if (!event.isUpdate) return;
    // Accepted here: reload now (when idle). Accepted in another tab: this page runs old code
    // against the new worker, so offer the reload.
    if (requested) whenIdle(() => location.reload());
    else {
      activated = true;
      if (updateState.value === 'none') updateState.value = 'ready';
    }
  });
  void workbox.register().catch(() => undefined);
  void makeAvailableOffline().catch(() => undefined);
}
