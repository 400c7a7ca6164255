import type { EngineInfo } from '../../workers/engine/client';
import { engineStatus, readyEngine } from '../state/engine';
import { ErrorMessage } from './ErrorMessage';

function describe(info: EngineInfo): string {
  const models =
    info.backend === 'webgpu' ? `WebGPU${info.adapter ? ` (${info.adapter})` : ''}` : 'WebAssembly';
  const threads = info.backend === 'wasm' ? `, ${info.threads} thread${info.threads === 1 ? '' : 's'}` : '';
  const swapper = info.swapper === 'webgpu' ? 'GPU' : 'CPU';
  return `Face models on ${models}${threads}; swap on the ${swapper}. ${info.reason}`;
}

/** Which backend runs and why, or what went wrong starting it. */
export function BackendStatus() {
  const status = engineStatus.value;
  if (status.state === 'failed') {
    return (
      <div class="backend-status" data-testid="backend-status" data-state="failed">
        <ErrorMessage error={status.error} />
        <button type="button" class="secondary" onClick={() => void readyEngine().catch(() => undefined)}>
          Try again
        </button>
      </div>
    );
  }
  return (
    <p
      class="backend-status"
      role="status"
      data-testid="backend-status"
      data-state={status.state}
      data-restarted={status.state === 'ready' && status.restarted ? 'true' : undefined}
    >
      {status.state === 'ready'
        ? (status.restarted ? 'A new face engine took over from the one that stopped. ' : '') +
          describe(status.info)
        : (status.progress?.message ?? 'Starting the face engine') + '…'}
    </p>
  );
}
