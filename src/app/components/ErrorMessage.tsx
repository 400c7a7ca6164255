import type { DoppelError, ErrorCode } from '../../shared/errors';

/** Errors that depend on what this browser can do: the system check says what it can. */
const checkable = new Set<ErrorCode>(['WEBGPU_UNAVAILABLE', 'VIDEO_CODEC_UNSUPPORTED', 'STORAGE_FULL']);

interface Props {
  error: DoppelError | null;
}

/**
 * A DoppelError's message next to what caused it: announced at once (an alert) when something went
 * wrong, and as a calm status line when it is the user's own Cancel (nothing went wrong then). An
 * error that depends on this browser (no WebGPU, a codec, storage) links to the system check.
 */
export function ErrorMessage({ error }: Props) {
  if (!error) return null;
  const own = error.code === 'CANCELLED';
  return (
    <p
      class={own ? 'notice' : 'error'}
      role={own ? 'status' : 'alert'}
      data-testid="error"
      data-code={error.code}
      data-tone={own ? 'neutral' : 'error'}
    >
      {error.message}
      {checkable.has(error.code) && (
        <>
          {' '}
          <a href="#/check" data-testid="error-check-link">
            See what this browser can do
          </a>
        </>
      )}
    </p>
  );
}
