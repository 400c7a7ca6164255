import {
  BlobSource,
  BufferTarget,
  Conversion,
  Input,
  Output,
  WEBM,
  WebMOutputFormat,
  type MetadataTags,
  type StreamTargetChunk,
} from 'mediabunny';
import { aiEditedSourceType, xmpUuidBox } from './xmp';

/**
 * The metadata tags a swapped video carries, replacing the input's (its title, dates, place and
 * old credentials are dropped). WebM: a Matroska SimpleTag DIGITAL_SOURCE_TYPE (exiftool reads it
 * as DigitalSourceType). MP4 carries none here: its mark is the XMP `uuid` box of
 * {@link withXmpUuidBox}.
 */
export function aiEditedVideoTags(container: 'mp4' | 'webm'): MetadataTags {
  return container === 'webm' ? { raw: { DIGITAL_SOURCE_TYPE: aiEditedSourceType } } : {};
}

/**
 * Passes a muxer's writes through to `target`; when the muxer closes the stream of a file it
 * finished (`finished()` true), appends the XMP `uuid` box after the file's last byte. A top-level
 * box after `moov` is allowed by ISO BMFF and skipped by players.
 */
export function withXmpUuidBox(
  target: WritableStream<StreamTargetChunk>,
  finished: () => boolean,
): WritableStream<StreamTargetChunk> {
  const writer = target.getWriter();
  let end = 0;
  return new WritableStream<StreamTargetChunk>({
    write: (chunk) => {
      end = Math.max(end, chunk.position + chunk.data.byteLength);
      return writer.write(chunk);
    },
    close: async () => {
      if (finished()) await writer.write({ type: 'write', data: xmpUuidBox(), position: end });
      await writer.close();
    },
    abort: (reason) => writer.abort(reason),
  });
}

/**
 * A WebM file (a MediaRecorder recording) remuxed, packets copied and never re-encoded, with the
 * AI-edited Matroska tag. The remux also gives the file the duration and cues MediaRecorder leaves
 * out.
 */
export async function labelWebm(webm: Blob): Promise<Blob> {
  const input = new Input({ source: new BlobSource(webm), formats: [WEBM] });
  try {
    const target = new BufferTarget();
    const output = new Output({ format: new WebMOutputFormat(), target });
    const conversion = await Conversion.init({
      input,
      output,
      tags: aiEditedVideoTags('webm'),
      showWarnings: false,
    });
    if (!conversion.isValid) throw new Error('the recording has no track that WebM can hold');
    await conversion.execute();
    return new Blob([target.buffer as ArrayBuffer], { type: 'video/webm' });
  } finally {
    input.dispose();
  }
}
