import { videoOutputDirectory } from '../../shared/video-output-directory';

/** The finished video as a File backed by OPFS (read from disk when played or saved, not held in memory). */
export async function outputFile(name: string): Promise<File> {
  const handle = await (await videoOutputDirectory()).getFileHandle(name);
  return handle.getFile();
}

/** Deletes one output from disk. */
export async function deleteOutput(name: string): Promise<void> {
  await (await videoOutputDirectory()).removeEntry(name).catch(() => undefined);
}

/**
 * Deletes every output but `keep` (the one shown): those left by a page closed mid-job. A file
 * another tab is still writing is locked and stays.
 */
export async function deleteOutputsBut(keep: string | null): Promise<void> {
  const folder = await videoOutputDirectory();
  const names: string[] = [];
  // DOM.AsyncIterable is not in the app's libs; Chromium, Firefox and Safari all iterate handles.
  for await (const key of (folder as unknown as { keys(): AsyncIterable<string> }).keys())
    if (key !== keep) names.push(key);
  await Promise.all(names.map((n) => folder.removeEntry(n).catch(() => undefined)));
}

interface SaveFilePicker {
  showSaveFilePicker?: (options: {
    suggestedName: string;
    types: { description: string; accept: Record<string, string[]> }[];
  }) => Promise<FileSystemFileHandle>;
}

/** Whether the browser has a file-save dialog (else the video is saved as a download). */
export function canPickSaveFile(): boolean {
  return typeof (window as SaveFilePicker).showSaveFilePicker === 'function';
}

/**
 * Streams the video from OPFS into a file the user picks in the save dialog; false (nothing written)
 * when they close it.
 */
export async function saveWithPicker(file: File, suggestedName: string): Promise<boolean> {
  const extension = suggestedName.slice(suggestedName.lastIndexOf('.'));
  let handle: FileSystemFileHandle;
  try {
    handle = await (window as SaveFilePicker).showSaveFilePicker!({
      suggestedName,
      types: [{ description: 'Video', accept: { [file.type || 'video/mp4']: [extension] } }],
    });
  } catch (error) {
    if (error instanceof DOMException && error.name === 'AbortError') return false;
    throw error;
  }
  const writable = await handle.createWritable();
  await file.stream().pipeTo(writable);
  return true;
}
