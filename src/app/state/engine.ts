import { signal } from '@preact/signals';
import { DoppelError, toDoppelError } from '../../shared/errors';
import { EngineClient, type EngineInfo, type Progress } from '../../workers/engine/client';
import { engineSettings } from './settings';

export type EngineStatus =
  | { state: 'loading'; progress: Progress | null }
  | { state: 'ready'; info: EngineInfo }
  | { state: 'failed'; error: DoppelError };

export const engineStatus = signal<EngineStatus>({ state: 'loading', progress: null });

let client: EngineClient | null = null;
let starting: Promise<EngineClient> | null = null;

/** Starts the engine once (again after a failure) and resolves when its models are loaded. */
export function readyEngine(): Promise<EngineClient> {
  starting ??= start().catch((error: unknown) => {
    starting = null;
    const failure = toDoppelError(error, 'MODEL_LOAD_FAILED');
    engineStatus.value = { state: 'failed', error: failure };
    throw failure;
  });
  return starting;
}

async function start(): Promise<EngineClient> {
  engineStatus.value = { state: 'loading', progress: null };
  client ??= EngineClient.create();
  const info = await client.init(engineSettings(location.search), (progress) => {
    engineStatus.value = { state: 'loading', progress };
  });
  engineStatus.value = { state: 'ready', info };
  return client;
}
