import CRC32 from 'crc-32';

/** IPTC Digital Source Type for a real photo or video composited with the output of a trained model. */
export const aiEditedSourceType =
  'http://cv.iptc.org/newscodes/digitalsourcetype/compositeWithTrainedAlgorithmicMedia';

/** XMP packet marking the media as AI-edited, with IPTC Digital Source Type {@link aiEditedSourceType}. */
export const aiEditedXmp = `<?xpacket begin="\uFEFF" id="W5M0MpCehiHzreSzNTczkc9d"?>
<x:xmpmeta xmlns:x="adobe:ns:meta/">
 <rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">
  <rdf:Description rdf:about=""
    xmlns:Iptc4xmpExt="http://iptc.org/std/Iptc4xmpExt/2008-02-29/"
    xmlns:xmp="http://ns.adobe.com/xap/1.0/"
    Iptc4xmpExt:DigitalSourceType="${aiEditedSourceType}"
    xmp:CreatorTool="Doppel (in-browser face swap)"/>
 </rdf:RDF>
</x:xmpmeta>
<?xpacket end="w"?>`;

const encoder = new TextEncoder();

function concat(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let offset = 0;
  for (const p of parts) {
    out.set(p, offset);
    offset += p.length;
  }
  return out;
}

/** PNG: an iTXt chunk with keyword "XML:com.adobe.xmp", inserted right after IHDR. */
export function addXmpToPng(png: Uint8Array, xmp = aiEditedXmp): Uint8Array {
  const ihdrEnd = 8 + 4 + 4 + 13 + 4;
  if (png.length < ihdrEnd || String.fromCharCode(...png.subarray(12, 16)) !== 'IHDR') {
    throw new Error('not a PNG');
  }
  const data = concat([encoder.encode('XML:com.adobe.xmp'), new Uint8Array(5), encoder.encode(xmp)]);
  const typeAndData = concat([encoder.encode('iTXt'), data]);
  const chunk = new Uint8Array(12 + data.length);
  const view = new DataView(chunk.buffer);
  view.setUint32(0, data.length);
  chunk.set(typeAndData, 4);
  view.setUint32(8 + data.length, CRC32.buf(typeAndData) >>> 0);
  return concat([png.subarray(0, ihdrEnd), chunk, png.subarray(ihdrEnd)]);
}

/** JPEG: an APP1 segment with the XMP namespace header, inserted right after SOI. */
export function addXmpToJpeg(jpeg: Uint8Array, xmp = aiEditedXmp): Uint8Array {
  if (jpeg[0] !== 0xff || jpeg[1] !== 0xd8) throw new Error('not a JPEG');
  const payload = concat([encoder.encode('http://ns.adobe.com/xap/1.0/\0'), encoder.encode(xmp)]);
  const header = new Uint8Array(4);
  new DataView(header.buffer).setUint16(0, 0xffe1);
  new DataView(header.buffer).setUint16(2, payload.length + 2);
  return concat([jpeg.subarray(0, 2), header, payload, jpeg.subarray(2)]);
}

/**
 * GIF: the XMP application extension ("XMP DataXMP", XMP spec part 3), inserted before the
 * trailer: the packet is written raw, then the 258-byte "magic trailer" (0x01, 0xFF down to 0x00,
 * then a block terminator) that lets a GIF reader skip it as sub-blocks.
 */
export function addXmpToGif(gif: Uint8Array, xmp = aiEditedXmp): Uint8Array {
  if (String.fromCharCode(...gif.subarray(0, 6)) !== 'GIF89a' || gif.at(-1) !== 0x3b) {
    throw new Error('not a GIF89a');
  }
  const magic = new Uint8Array(258);
  magic[0] = 0x01;
  for (let i = 0; i < 256; i++) magic[i + 1] = 0xff - i;
  const extension = concat([
    new Uint8Array([0x21, 0xff, 0x0b]),
    encoder.encode('XMP DataXMP'),
    encoder.encode(xmp),
    magic,
  ]);
  return concat([gif.subarray(0, -1), extension, new Uint8Array([0x3b])]);
}

/** The XMP UUID of ISO base media files (MP4): BE7ACFCB-97A9-42E8-9C71-999491E3AFAC. */
const xmpUuid = [
  0xbe, 0x7a, 0xcf, 0xcb, 0x97, 0xa9, 0x42, 0xe8, 0x9c, 0x71, 0x99, 0x94, 0x91, 0xe3, 0xaf, 0xac,
];

/** MP4: a top-level `uuid` box holding the XMP packet (XMP spec part 3), to append to the file. */
export function xmpUuidBox(xmp = aiEditedXmp): Uint8Array<ArrayBuffer> {
  const packet = encoder.encode(xmp);
  const box = new Uint8Array(8 + 16 + packet.length);
  new DataView(box.buffer).setUint32(0, box.length);
  box.set(encoder.encode('uuid'), 4);
  box.set(xmpUuid, 8);
  box.set(packet, 24);
  return box;
}
