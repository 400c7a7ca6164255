/**
 * What an imported file is and what Doppel expected, in words a user can act on: no protobuf wire
 * types or parser states, which say nothing to someone who picked the wrong file.
 */
import type { ModelRole } from '../../shared/model-contracts';
import { formatBytes } from './storage';

/** Each role in plain words, with the usual public file name of its model. */
export const roleWords: Record<ModelRole, { what: string; file: string }> = {
  detector: { what: 'a face detector', file: 'det_10g.onnx' },
  embedder: { what: 'a face identity model', file: 'w600k_r50.onnx' },
  swapper: { what: 'a face swapper', file: 'inswapper_128.onnx' },
  enhancer: { what: 'a face restoration model', file: 'GFPGANv1.4.onnx' },
  masker: { what: 'a face mask model', file: 'an XSeg or BiSeNet .onnx file' },
};

const expected =
  'Doppel expected an ONNX model file (.onnx), such as inswapper_128.onnx or w600k_r50.onnx. Nothing was installed.';

interface Kind {
  is: string;
  advice: string;
}

const ascii = (bytes: Uint8Array, start: number, end: number) =>
  String.fromCharCode(...bytes.subarray(start, end));

const startsWith = (bytes: Uint8Array, ...values: number[]) => values.every((v, i) => bytes[i] === v);

const archive: Kind = {
  is: 'an archive (ZIP, 7-Zip, RAR or gzip), not a model',
  advice:
    'Unpack it (a model pack such as buffalo_l.zip holds several .onnx files) and import the .onnx files.',
};

const picture: Kind = {
  is: 'a picture or document, not a model',
  advice: 'Choose the .onnx file you downloaded.',
};

/** Known kinds of file, by their first bytes. */
function recognise(bytes: Uint8Array): Kind | null {
  const head = ascii(bytes, 0, 64).trimStart().toLowerCase();
  if (startsWith(bytes, 0x50, 0x4b, 0x03, 0x04)) return archive;
  if (startsWith(bytes, 0x1f, 0x8b) || head.startsWith('7z') || head.startsWith('rar!')) return archive;
  if (startsWith(bytes, 0xff, 0xd8, 0xff) || startsWith(bytes, 0x89, 0x50, 0x4e, 0x47)) return picture;
  if (head.startsWith('gif8') || head.startsWith('%pdf') || head.startsWith('riff')) return picture;
  if (head.startsWith('version https://git-lfs')) {
    return {
      is: 'a Git LFS pointer (a small stand-in for the real file), not the model',
      advice: "Download the file itself (the repository's download button, not the raw link).",
    };
  }
  if (/^<(!doctype|html|head|body|\?xml)/.test(head)) {
    return {
      is: 'a web page (HTML), not the model: the link saved the page around the download',
      advice: "Open the page and use its download button, or the repository's download link.",
    };
  }
  if (ascii(bytes, 4, 8) === 'TFL3') {
    return {
      is: 'a TensorFlow Lite model, not an ONNX model',
      advice: 'Doppel reads ONNX only: use the ONNX export of this model.',
    };
  }
  if (startsWith(bytes, 0x80) && (bytes[1] ?? 0) >= 2 && (bytes[1] ?? 0) <= 5) {
    return {
      is: 'a PyTorch checkpoint (.pth, .pt), not an ONNX model',
      advice: 'Doppel reads ONNX only: use the ONNX export of this model.',
    };
  }
  return null;
}

/** ONNX files begin with the model's IR version: field 1, a varint (tag byte 0x08). */
const looksLikeOnnx = (bytes: Uint8Array) => bytes[0] === 0x08;

/**
 * Why a file could not be read as an ONNX model (`parserSaysCut`: the reader ran past its end), as
 * one message: what the file is, what Doppel expected, and what to do.
 */
export function unreadableWords(fileName: string, bytes: Uint8Array, parserSaysCut: boolean): string {
  if (bytes.byteLength === 0) return `${fileName} is empty (0 bytes). ${expected}`;
  const kind = recognise(bytes);
  if (kind) return `${fileName} is ${kind.is}. ${kind.advice} ${expected}`;
  if (parserSaysCut && looksLikeOnnx(bytes)) {
    return (
      `${fileName} is an ONNX model that is cut short: it stops after ${formatBytes(bytes.byteLength)}, ` +
      `before the model ends (an unfinished download or copy). Download it again, then import it. Nothing was installed.`
    );
  }
  return `${fileName} is not an ONNX model: its contents are another kind of file, or damaged. ${expected}`;
}

/** A model that fits `fits` when it was imported as `chosen`: say what it is and which role to pick. */
export function otherRoleWords(fileName: string, chosen: ModelRole, fits: ModelRole): string {
  return (
    `${fileName} is ${roleWords[fits].what} (${fits}), not ${roleWords[chosen].what} (${chosen}, ` +
    `such as ${roleWords[chosen].file}). Choose "${fits}" in Role, or "Detect from the file", and import it again. ` +
    'Nothing was installed.'
  );
}

/** A model that fits no role (or not the chosen one): the differences, and what was expected. */
export function contractWords(fileName: string, role: ModelRole | null, problem: string): string {
  const wanted = role
    ? `${roleWords[role].what} (${role}, such as ${roleWords[role].file})`
    : 'one of the neural engine models: a face swapper, identity model, detector, restoration or mask model';
  return (
    `${fileName} is an ONNX model, but not ${wanted}: ${problem}. Choose the right role, or use the ONNX ` +
    'export named in README ("Neural engine: bringing the model weights"). Nothing was installed.'
  );
}
