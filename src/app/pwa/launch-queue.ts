import { addTargetWhenConsented } from './intake';

/** File Handling API (Chromium): files the OS opens with the installed app ("Open with Doppel"). */
interface LaunchParams {
  readonly files: readonly FileSystemHandle[];
  readonly targetURL?: string;
}

interface LaunchQueue {
  setConsumer(consumer: (params: LaunchParams) => void): void;
}

declare global {
  interface Window {
    launchQueue?: LaunchQueue;
  }
}

function isFile(handle: FileSystemHandle): handle is FileSystemFileHandle {
  return handle.kind === 'file';
}

/** The first file of each launch becomes the target photo. */
export function consumeLaunchedFiles(): void {
  window.launchQueue?.setConsumer((params) => {
    const handle = params.files.find(isFile);
    if (!handle) return;
    void handle.getFile().then(addTargetWhenConsented, () => undefined);
  });
}
