import type { DoppelError } from '../../shared/errors';

interface Props {
  error: DoppelError | null;
}

/** A DoppelError's message, announced to screen readers, next to what caused it. */
export function ErrorMessage({ error }: Props) {
  if (!error) return null;
  return (
    <p class="error" role="alert" data-testid="error" data-code={error.code}>
      {error.message}
    </p>
  );
}
