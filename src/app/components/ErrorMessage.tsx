import type { DoppelError } from '../../shared/errors';

interface Props {
  error: DoppelError | null;
}

/**
 * A DoppelError's message next to what caused it: announced at once (an alert) when something went
 * wrong, and as a calm status line when it is the user's own Cancel (nothing went wrong then).
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
    </p>
  );
}
