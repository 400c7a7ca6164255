/**
 * Every error a user can meet, with a stable code and a message that says what to do.
 * They cross the worker boundary as {code, message, details} and are rebuilt as the same class.
 */
export const errorCatalogue = {
  EMPTY_FILE: 'This file is empty (0 bytes). Choose a photo such as a JPEG, PNG or WebP file.',
  UNSUPPORTED_FORMAT:
    'This file is not an image Doppel can read. Use a JPEG, PNG, WebP, GIF, BMP or AVIF photo.',
  DECODE_FAILED:
    'This image could not be decoded: the file is damaged or incomplete. Export or download it again.',
  IMAGE_TOO_LARGE: 'This image is too large. Downscale it and try again.',
  NO_FACE_FOUND:
    'No face was found in this photo. Use a photo where the face is visible, at least 40 pixels wide and tilted less than 45 degrees.',
  NO_FACE_SELECTED: 'Choose at least one face to replace in the target photo.',
  IMAGE_NOT_LOADED: 'This photo is no longer loaded. Add it again.',
  CANCELLED: 'Cancelled. Nothing was changed.',
  MODEL_LOAD_FAILED:
    'The face models could not be loaded. Reload the page; if you are offline, open Doppel once while online first.',
  MODEL_CORRUPT:
    'A model file failed its integrity check (SHA-256 mismatch) and was discarded. Reload the page to download it again.',
  MODEL_CONTRACT:
    'This model file does not fit the role it was imported for: its inputs or outputs differ from what Doppel feeds it. Choose the right role, or use the ONNX export named in README ("Neural engine: bringing the model weights"). Nothing was installed.',
  MODEL_UNREADABLE:
    'This file is not a complete ONNX model: it is cut short, damaged or another kind of file. Download the .onnx file again and import it. Nothing was installed.',
  ENGINE_FAILED: 'The face engine stopped unexpectedly. Reload the page and try again.',
} as const;

export type ErrorCode = keyof typeof errorCatalogue;

export class DoppelError extends Error {
  override readonly name = 'DoppelError';
  constructor(
    readonly code: ErrorCode,
    message: string = errorCatalogue[code],
    readonly details: Record<string, unknown> = {},
  ) {
    super(message);
  }
}

export function isDoppelError(value: unknown): value is DoppelError {
  return value instanceof DoppelError;
}

export function cancelled(): DoppelError {
  return new DoppelError('CANCELLED');
}

/** Throws CANCELLED when the signal has been aborted. */
export function throwIfAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw cancelled();
}

/** Wraps anything thrown into a DoppelError, keeping DoppelErrors as they are. */
export function toDoppelError(error: unknown, fallback: ErrorCode = 'ENGINE_FAILED'): DoppelError {
  if (error instanceof DoppelError) return error;
  const detail = error instanceof Error ? error.message : String(error);
  return new DoppelError(fallback, errorCatalogue[fallback], { cause: detail });
}

export interface SerializedError {
  code: ErrorCode;
  message: string;
  details: Record<string, unknown>;
}

export function serializeError(error: unknown): SerializedError {
  const e = toDoppelError(error);
  return { code: e.code, message: e.message, details: e.details };
}

export function deserializeError(value: SerializedError): DoppelError {
  const code = value.code in errorCatalogue ? value.code : 'ENGINE_FAILED';
  return new DoppelError(code, value.message, value.details);
}
