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
  NO_MATCHING_FACE:
    'No face in the target looks enough like the reference face, so nothing was replaced. Lower the likeness threshold, or choose another reference face.',
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
  ENGINE_CRASHED:
    'The face engine stopped unexpectedly (the browser ended it, often for lack of memory). Your photos and results are kept: press the button again and a new engine takes over.',
  WEBGPU_UNAVAILABLE:
    'WebGPU was chosen in the settings, but this browser offers no WebGPU here. Choose Automatic or WASM in Settings, or use a browser with WebGPU turned on.',
  GPU_LOST:
    'The graphics card stopped answering (its driver was reset, or another app or tab took it). Doppel now runs on the processor (WASM), so it is slower: press the button again. Reload the page to use the graphics card again.',
  VIDEO_UNREADABLE:
    'This video could not be read: the file is damaged, cut short or not a video. Export or download it again, then open it.',
  VIDEO_TRUNCATED:
    'This video file is cut short: its end is missing (an unfinished download or copy). Download or copy it again, then open it.',
  VIDEO_NO_VIDEO_TRACK:
    'This file has no video track (it may be audio only). Choose a video file such as MP4, MOV, WebM or MKV.',
  VIDEO_CODEC_UNSUPPORTED:
    "This browser cannot decode or encode this video's codec. Convert the video to H.264 MP4 or VP9 WebM first, or choose the other output format.",
  STORAGE_FULL:
    "This browser's storage for Doppel is full, so this could not be saved. Free up disk space, or delete earlier results or models you no longer use, then try again.",
  STORAGE_CLEAR_FAILED:
    'Part of what Doppel keeps in this browser could not be deleted (a file may still be in use). Close other Doppel tabs and windows, then press Clear everything again.',
  CAMERA_DENIED:
    'Doppel may not use the camera. Allow camera access for this site (the camera icon in the address bar), then press Start again.',
  CAMERA_NOT_FOUND: 'No camera was found. Connect a camera (or choose another one), then press Start again.',
  CAMERA_IN_USE:
    'The camera could not be started: another app or tab is using it. Close that app or choose another camera, then press Start again.',
  CAMERA_UNSUPPORTED:
    'This browser cannot open a camera here. Use a current Chrome, Edge, Firefox or Safari on an https:// address.',
  POP_OUT_FAILED:
    'The pop-out window could not be opened. Press Pop out again, or share this browser tab in your meeting app instead.',
  RECORDING_FAILED: 'The recording could not be made in this browser. Try a current Chrome, Edge or Firefox.',
  LICENSE_SERVER_UNREACHABLE:
    'The license server could not be reached. Check the connection and try again; the plan you have keeps working offline.',
  LICENSE_REFUSED: 'The license server refused this request. Check the key and try again.',
  LICENSE_FILE_REJECTED:
    'The license server sent a license file this app cannot verify (this build bundles another signing key than the server uses). Use the app served by the same server, or rebuild it.',
  CHECKOUT_NOT_CONFIRMED:
    'The payment has still not been confirmed after 10 minutes of waiting. If you paid, reload this page to check again (the key is applied once it is); if it stays unconfirmed, contact support with your Stripe receipt.',
  TRANSPARENCY_REPORT_FAILED:
    "The license server's report on what it stores failed verification: it was changed after it was signed, or earlier reports were rewritten. Do not rely on what it says.",
  DEVICE_KEY_UNAVAILABLE:
    'This browser could not create or keep the device key licenses are bound to (IndexedDB or WebCrypto is unavailable, as in some private windows). Use a regular window.',
  CREDENTIALS_FAILED:
    'The Content Credentials (the signed note that this file was made with AI) could not be added, so the file was not saved. Reload the page and try again; if you are offline, open Doppel once while online first.',
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
