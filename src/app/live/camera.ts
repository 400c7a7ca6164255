import { DoppelError } from '../../shared/errors';

/** A camera the browser offers; labels are empty until the user has allowed camera access once. */
export interface Camera {
  deviceId: string;
  label: string;
}

/** Why getUserMedia failed, as an error that tells the user what to do. */
function cameraError(error: unknown): DoppelError {
  const name = error instanceof DOMException ? error.name : '';
  const cause = error instanceof Error ? error.message : String(error);
  if (name === 'NotAllowedError' || name === 'SecurityError')
    return new DoppelError('CAMERA_DENIED', undefined, { cause });
  if (name === 'NotFoundError' || name === 'OverconstrainedError')
    return new DoppelError('CAMERA_NOT_FOUND', undefined, { cause });
  if (name === 'NotReadableError' || name === 'AbortError')
    return new DoppelError('CAMERA_IN_USE', undefined, { cause });
  return new DoppelError('CAMERA_UNSUPPORTED', undefined, { cause });
}

/** Opens a camera (the chosen one, else the browser's default) as a video-only stream, ideally of `size`. */
export async function openCamera(
  deviceId: string | null,
  size: { width: number; height: number },
): Promise<MediaStream> {
  if (!navigator.mediaDevices?.getUserMedia) throw new DoppelError('CAMERA_UNSUPPORTED');
  const video: MediaTrackConstraints = { width: { ideal: size.width }, height: { ideal: size.height } };
  if (deviceId) video.deviceId = { exact: deviceId };
  try {
    return await navigator.mediaDevices.getUserMedia({ video, audio: false });
  } catch (error) {
    throw cameraError(error);
  }
}

/** The cameras the browser lists, named "Camera 1", "Camera 2"… where it gives no label yet. */
export async function listCameras(): Promise<Camera[]> {
  if (!navigator.mediaDevices?.enumerateDevices) return [];
  const devices = await navigator.mediaDevices.enumerateDevices();
  return devices
    .filter((device) => device.kind === 'videoinput' && device.deviceId)
    .map((device, i) => ({ deviceId: device.deviceId, label: device.label || `Camera ${i + 1}` }));
}

/** Stops every track of the stream: the camera light goes off. */
export function stopCamera(stream: MediaStream): void {
  for (const track of stream.getTracks()) track.stop();
}
