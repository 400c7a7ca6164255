/**
 * The files a user drops or picks on "Import model files", folders included: a dropped folder (or a
 * folder chosen with "Choose a folder…") gives every .onnx file inside it, at any depth. Files dropped
 * one by one are all kept, whatever their name, so a wrong file is refused with a reason rather than
 * silently skipped. Folders are read with the File and Directory Entries API
 * (`DataTransferItem.webkitGetAsEntry`), which Chrome, Edge, Firefox and Safari implement.
 */

const isOnnx = (name: string) => name.toLowerCase().endsWith('.onnx');

const fileOf = (entry: FileSystemFileEntry) =>
  new Promise<File>((resolve, reject) => entry.file(resolve, reject));

/** All entries of a directory: readEntries answers in batches until it answers an empty one. */
async function entriesOf(dir: FileSystemDirectoryEntry): Promise<FileSystemEntry[]> {
  const reader = dir.createReader();
  const all: FileSystemEntry[] = [];
  for (;;) {
    const batch = await new Promise<FileSystemEntry[]>((resolve, reject) =>
      reader.readEntries(resolve, reject),
    );
    if (batch.length === 0) return all;
    all.push(...batch);
  }
}

/** The .onnx files under a directory entry, sorted by path so results come in a stable order. */
async function onnxUnder(dir: FileSystemDirectoryEntry): Promise<File[]> {
  const files: { path: string; file: File }[] = [];
  const walk = async (entry: FileSystemEntry): Promise<void> => {
    if (entry.isDirectory) {
      for (const child of await entriesOf(entry as FileSystemDirectoryEntry)) await walk(child);
    } else if (entry.isFile && isOnnx(entry.name)) {
      files.push({ path: entry.fullPath, file: await fileOf(entry as FileSystemFileEntry) });
    }
  };
  await walk(dir);
  return files.sort((a, b) => a.path.localeCompare(b.path)).map(({ file }) => file);
}

/**
 * The files of a drop: each dropped file as it is, each dropped folder's .onnx files. Entries must be
 * taken from the items before the first await: the browser empties the DataTransfer after the event.
 */
export async function droppedFiles(data: DataTransfer | null): Promise<File[]> {
  if (!data) return [];
  const items = Array.from(data.items ?? []).filter((item) => item.kind === 'file');
  const entries = items.map((item) => item.webkitGetAsEntry?.() ?? null);
  if (entries.length === 0 || entries.some((entry) => entry === null)) return Array.from(data.files);
  const files: File[] = [];
  for (const entry of entries) {
    if (entry?.isDirectory) files.push(...(await onnxUnder(entry as FileSystemDirectoryEntry)));
    else files.push(await fileOf(entry as FileSystemFileEntry));
  }
  return files;
}

/** The .onnx files of a folder chosen with `<input type="file" webkitdirectory>`, by path. */
export function chosenFolderFiles(list: FileList | null): File[] {
  return Array.from(list ?? [])
    .filter((file) => isOnnx(file.name))
    .sort((a, b) => a.webkitRelativePath.localeCompare(b.webkitRelativePath));
}
