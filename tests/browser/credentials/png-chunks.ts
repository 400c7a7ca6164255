/**
 * A PNG without its `caBX` chunk (the C2PA manifest, which differs on every signing: a new manifest
 * id, salts and signature), for tests that compare two outputs of the same swap byte for byte.
 */
export function withoutCredentials(png: Buffer): Buffer {
  const kept: Buffer[] = [png.subarray(0, 8)];
  for (let at = 8; at + 8 <= png.length;) {
    const end = at + 12 + png.readUInt32BE(at);
    if (png.toString('latin1', at + 4, at + 8) !== 'caBX') kept.push(png.subarray(at, end));
    at = end;
  }
  return Buffer.concat(kept);
}
