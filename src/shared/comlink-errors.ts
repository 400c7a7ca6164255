import { transferHandlers, type TransferHandler } from 'comlink';
import { deserializeError, serializeError, type SerializedError } from './errors';

interface ThrownValue {
  value: unknown;
}

/**
 * Comlink turns thrown errors into plain Errors; this handler keeps our error classes and codes.
 * It reuses comlink's own test for "a thrown value" and changes only what crosses the boundary.
 * Call once on each side of the worker boundary.
 */
export function installErrorTransfer(): void {
  const builtin = transferHandlers.get('throw');
  if (!builtin) throw new Error('comlink has no throw handler');
  const handler: TransferHandler<ThrownValue, SerializedError> = {
    canHandle: (value: unknown): value is ThrownValue => builtin.canHandle(value),
    serialize: (thrown) => [serializeError(thrown.value), []],
    deserialize: (serialized) => {
      throw deserializeError(serialized);
    },
  };
  transferHandlers.set('throw', handler as TransferHandler<unknown, unknown>);
}
