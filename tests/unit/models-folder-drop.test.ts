import { describe, expect, it } from 'vitest';
import { chosenFolderFiles, droppedFiles } from '../../src/app/models/dropped-files';

/**
 * The files a drop on "Import model files" gives: dropped files as they are, and every .onnx file at
 * any depth of a dropped folder, read through the File and Directory Entries API as browsers give it
 * (directory readers answer in batches, then with an empty batch). The entries here are stand-ins
 * with that API's shape; Chromium cannot be made to drop a real folder from a test.
 */

type Entry = FileSystemEntry;

function fileEntry(path: string, text = path): Entry {
  const name = path.split('/').at(-1)!;
  const file = new File([text], name);
  return {
    isFile: true,
    isDirectory: false,
    name,
    fullPath: path,
    file: (ok: (f: File) => void) => ok(file),
  } as unknown as Entry;
}

/** A directory whose reader hands its children out two at a time. */
function dirEntry(path: string, children: Entry[]): Entry {
  return {
    isFile: false,
    isDirectory: true,
    name: path.split('/').at(-1)!,
    fullPath: path,
    createReader: () => {
      let at = 0;
      return {
        readEntries: (ok: (batch: Entry[]) => void) => {
          ok(children.slice(at, at + 2));
          at += 2;
        },
      };
    },
  } as unknown as Entry;
}

/** A DataTransfer as a drop event carries it: one file item per dropped thing. */
function drop(entries: Entry[]): DataTransfer {
  return {
    items: entries.map((entry) => ({ kind: 'file', webkitGetAsEntry: () => entry })),
    files: [],
  } as unknown as DataTransfer;
}

const names = (files: File[]) => files.map((f) => f.name);

describe('dropped folders', () => {
  it('gives every .onnx file at any depth of a dropped folder, by path, and nothing else', async () => {
    const folder = dirEntry('/models', [
      fileEntry('/models/swapper.onnx'),
      fileEntry('/models/README.txt'),
      dirEntry('/models/buffalo_l', [
        fileEntry('/models/buffalo_l/w600k_r50.onnx'),
        fileEntry('/models/buffalo_l/det_10g.ONNX'),
        fileEntry('/models/buffalo_l/genderage.onnx'),
      ]),
      dirEntry('/models/empty', []),
    ]);
    expect(names(await droppedFiles(drop([folder])))).toEqual([
      'det_10g.ONNX',
      'genderage.onnx',
      'w600k_r50.onnx',
      'swapper.onnx',
    ]);
  });

  it('keeps files dropped one by one whatever their name (a wrong one is then refused with a reason)', async () => {
    const dropped = await droppedFiles(drop([fileEntry('/photo.jpg'), fileEntry('/inswapper_128.onnx')]));
    expect(names(dropped)).toEqual(['photo.jpg', 'inswapper_128.onnx']);
    expect(await dropped[1]!.text()).toBe('/inswapper_128.onnx');
  });

  it('without entries (a browser without the API) falls back to the dropped files', async () => {
    const file = new File(['x'], 'a.onnx');
    const data = { items: [{ kind: 'file', webkitGetAsEntry: () => null }], files: [file] };
    expect(names(await droppedFiles(data as unknown as DataTransfer))).toEqual(['a.onnx']);
    expect(await droppedFiles(null)).toEqual([]);
  });

  it('a chosen folder gives its .onnx files by their path in the folder', () => {
    const file = (path: string) => {
      const f = new File(['x'], path.split('/').at(-1)!);
      Object.defineProperty(f, 'webkitRelativePath', { value: path });
      return f;
    };
    const list = [file('m/z.onnx'), file('m/notes.md'), file('m/a/b.onnx')] as unknown as FileList;
    expect(names(chosenFolderFiles(list))).toEqual(['b.onnx', 'z.onnx']);
  });
});
