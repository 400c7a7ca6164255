import type { StreamTargetChunk } from 'mediabunny';
import { DoppelError } from '../../shared/errors';
import { videoOutputDirectory } from '../../shared/video-output-directory';

function isQuotaError(error: unknown): boolean {
  return error instanceof DOMException && error.name === 'QuotaExceededError';
}

/** A full disk as STORAGE_FULL; anything else as it is. */
export function storageError(error: unknown): unknown {
  return isQuotaError(error) ? new DoppelError('STORAGE_FULL') : error;
}

/**
 * A file in OPFS `video-output` written in place as the muxer produces it (a sync access handle:
 * dedicated workers only), so the video never sits whole in memory. `discard` removes it, so a
 * failed or cancelled job leaves no half-written file behind.
 */
export class OpfsOutputFile {
  private closed = false;

  private constructor(
    private readonly directory: FileSystemDirectoryHandle,
    readonly name: string,
    private readonly access: FileSystemSyncAccessHandle,
  ) {}

  static async create(name: string): Promise<OpfsOutputFile> {
    const directory = await videoOutputDirectory();
    const handle = await directory.getFileHandle(name, { create: true });
    const access = await handle.createSyncAccessHandle();
    access.truncate(0);
    return new OpfsOutputFile(directory, name, access);
  }

  /** Why writing stopped (a full disk), once it has. */
  failure: DoppelError | null = null;

  /**
   * A stream for mediabunny's StreamTarget: each chunk is written at its position. A write the disk
   * cannot hold sets `failure` and calls `onFailure` (which stops the job); the stream itself never
   * errors, since mediabunny closes it afterwards and an errored stream refuses that.
   */
  writable(onFailure: () => void): WritableStream<StreamTargetChunk> {
    return new WritableStream<StreamTargetChunk>({
      write: (chunk) => {
        if (this.failure) return;
        let written: number;
        try {
          written = this.access.write(chunk.data, { at: chunk.position });
        } catch (error) {
          if (!isQuotaError(error)) throw error;
          written = -1;
        }
        // Past the quota Chromium need not throw: it writes less (or returns a negative count as u32).
        if (written === chunk.data.byteLength) return;
        this.failure = new DoppelError('STORAGE_FULL');
        onFailure();
      },
    });
  }

  /** Flushes and closes the file; returns its size in bytes. */
  finish(): number {
    try {
      this.access.flush();
    } catch (error) {
      throw storageError(error);
    }
    const bytes = this.access.getSize();
    this.close();
    return bytes;
  }

  /** Closes and deletes the file. */
  async discard(): Promise<void> {
    this.close();
    await this.directory.removeEntry(this.name).catch(() => undefined);
  }

  private close(): void {
    if (this.closed) return;
    this.closed = true;
    this.access.close();
  }
}
