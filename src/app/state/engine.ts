import { signal } from '@preact/signals';
import { DoppelError, toDoppelError } from '../../shared/errors';
import { EngineClient, type EngineInfo, type Progress } from '../../workers/engine/client';
import { engineSettings } from './settings';

export type EngineStatus =
  | { state: 'loading'; progress: Progress | null }
  /** `restarted`: this engine replaced one that stopped unexpectedly. */
  | { state: 'ready'; info: EngineInfo; restarted: boolean }
  | { state: 'failed'; error: DoppelError };

export const engineStatus = signal<EngineStatus>({ state: 'loading', progress: null });

let client: EngineClient | null = null;
let starting: Promise<EngineClient> | null = null;
/** Engine workers started in this page: photos analysed by an earlier one must be analysed again. */
let generation = 0;
let replacedOne = false;

/** Which engine worker analysed what: a photo from another generation is unknown to the running one. */
export function engineGeneration(): number {
  return generation;
}

/**
 * Starts the engine once (again after a failure) and resolves when its models are loaded. An engine
 * whose worker stopped is replaced by a new one here, on the next call.
 */
export function readyEngine(): Promise<EngineClient> {
  starting ??= start().catch((error: unknown) => {
    starting = null;
    const failure = toDoppelError(error, 'MODEL_LOAD_FAILED');
    engineStatus.value = { state: 'failed', error: failure };
    throw failure;
  });
  return starting;
}

function newClient(): EngineClient {
  const created = EngineClient.create();
  generation++;
  void created.stopped.then((error) => {
    if (client !== created) return;
    client = null;
    starting = null;
    replacedOne = true;
    engineStatus.value = { state: 'failed', error };
  });
  return created;
}

async function start(): Promise<EngineClient> {
  engineStatus.value = { state: 'loading', progress: null };
  client ??= newClient();
  const running = client;
  const info = await running.init(engineSettings(location.search), (progress) => {
    engineStatus.value = { state: 'loading', progress };
  });
  engineStatus.value = { state: 'ready', info, restarted: replacedOne };
  return running;
}
