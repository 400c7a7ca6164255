import CRC32 from 'crc-32';

/** XMP packet marking the image as AI-edited: IPTC Digital Source Type "trainedAlgorithmicMedia". */
export const aiEditedXmp = `<?xpacket begin="\uFEFF" id="W5M0MpCehiHzreSzNTczkc9d"?>
<x:xmpmeta xmlns:x="adobe:ns:meta/">
 <rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">
  <rdf:Description rdf:about=""
    xmlns:Iptc4xmpExt="http://iptc.org/std/Iptc4xmpExt/2008-02-29/"
    xmlns:xmp="http://ns.adobe.com/xap/1.0/"
    Iptc4xmpExt:DigitalSourceType="http://cv.iptc.org/newscodes/digitalsourcetype/trainedAlgorithmicMedia"
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
