import { DoppelError } from '../../shared/errors';
import { withContentCredentials } from '../../shared/credentials/content-credentials';
import { videoOutputDirectory } from '../../shared/video-output-directory';
import { storageError } from './opfs-output';

/**
 * The largest MP4 signed with Content Credentials. c2pa-web reads the file from OPFS as a Blob but
 * returns the signed file whole, so signing holds about twice the file in memory; a longer video
 * keeps its XMP tag (and the visible label, when chosen) but no manifest.
 */
export const credentialsMaxVideoBytes = 256 * 1024 * 1024;

/**
 * Signs the finished MP4 `video-output/<name>` with Content Credentials in place (the manifest and its
 * hash of the file's boxes); returns the file's new size. A file over `credentialsMaxVideoBytes` is
 * left as it is.
 */
export async function signVideoOutput(name: string, bytes: number): Promise<number> {
  if (bytes > credentialsMaxVideoBytes) return bytes;
  const handle = await (await videoOutputDirectory()).getFileHandle(name);
  const signed = await withContentCredentials(await handle.getFile(), 'video/mp4');
  const access = await handle.createSyncAccessHandle();
  try {
    access.truncate(0);
    // Past the quota Chromium may write less than asked rather than throw.
    if (access.write(signed, { at: 0 }) !== signed.byteLength) throw new DoppelError('STORAGE_FULL');
    access.flush();
    return access.getSize();
  } catch (error) {
    throw storageError(error);
  } finally {
    access.close();
  }
}
