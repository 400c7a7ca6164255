/**
 * A decoded frame's texture into the swap's image buffer: one pack4x8unorm u32 per pixel, the
 * layout every swap kernel reads and writes.
 */
export const frameUnpackWgsl = /* wgsl */ `
@group(0) @binding(0) var frame: texture_2d<f32>;
@group(0) @binding(1) var<storage, read_write> image: array<u32>;

@compute @workgroup_size(8, 8)
fn main(@builtin(global_invocation_id) id: vec3<u32>) {
  let size = textureDimensions(frame);
  if (id.x >= size.x || id.y >= size.y) {
    return;
  }
  image[id.y * size.x + id.x] = pack4x8unorm(textureLoad(frame, vec2<i32>(id.xy), 0));
}
`;

/** The swap's image buffer back into a texture, for the canvas the encoder or the screen reads. */
export const framePackWgsl = /* wgsl */ `
@group(0) @binding(0) var<storage, read> image: array<u32>;
@group(0) @binding(1) var frame: texture_storage_2d<rgba8unorm, write>;

@compute @workgroup_size(8, 8)
fn main(@builtin(global_invocation_id) id: vec3<u32>) {
  let size = textureDimensions(frame);
  if (id.x >= size.x || id.y >= size.y) {
    return;
  }
  textureStore(frame, vec2<i32>(id.xy), unpack4x8unorm(image[id.y * size.x + id.x]));
}
`;

/**
 * The face models' input straight from the frame's texture (the TypeScript twin is
 * reference/face-input.ts): for region r and input pixel (x, y), the average of n x n bilinear
 * samples spread over the input pixel's footprint in the image (n = ceil of image pixels per input
 * pixel, at most 8), black outside the image, written as rgb * scale + offset into a
 * [regions, size, size, 3] float32 tensor.
 */
export const faceInputWgsl = /* wgsl */ `
struct Params {
  size: u32,
  count: u32,
  scale: f32,
  offset: f32,
}
@group(0) @binding(0) var<uniform> P: Params;
/** Per region: centre x, y in image pixels, then k cos(angle), k sin(angle), k image pixels per input pixel. */
@group(0) @binding(1) var<storage, read> regions: array<vec4f>;
@group(0) @binding(2) var frame: texture_2d<f32>;
@group(0) @binding(3) var<storage, read_write> tensor: array<f32>;

fn texel(x: i32, y: i32) -> vec3f {
  let size = vec2<i32>(textureDimensions(frame));
  if (x < 0 || y < 0 || x >= size.x || y >= size.y) {
    return vec3f(0.0);
  }
  return textureLoad(frame, vec2<i32>(x, y), 0).rgb;
}

fn bilinear(p: vec2f) -> vec3f {
  let q = p - 0.5;
  let f = floor(q);
  let t = q - f;
  let x = i32(f.x);
  let y = i32(f.y);
  let top = mix(texel(x, y), texel(x + 1, y), t.x);
  let bottom = mix(texel(x, y + 1), texel(x + 1, y + 1), t.x);
  return mix(top, bottom, t.y);
}

@compute @workgroup_size(8, 8)
fn main(@builtin(global_invocation_id) id: vec3<u32>) {
  if (id.x >= P.size || id.y >= P.size || id.z >= P.count) {
    return;
  }
  let r = regions[id.z];
  let k = length(r.zw);
  let n = u32(clamp(ceil(k - 1e-4), 1.0, 8.0));
  let half = f32(P.size) * 0.5;
  var sum = vec3f(0.0);
  for (var sy = 0u; sy < n; sy++) {
    for (var sx = 0u; sx < n; sx++) {
      let u = f32(id.x) + (f32(sx) + 0.5) / f32(n) - half;
      let v = f32(id.y) + (f32(sy) + 0.5) / f32(n) - half;
      let p = r.xy + vec2f(r.z * u - r.w * v, r.w * u + r.z * v);
      sum += bilinear(p);
    }
  }
  let rgb = sum / f32(n * n) * P.scale + P.offset;
  let o = ((id.z * P.size + id.y) * P.size + id.x) * 3u;
  tensor[o] = rgb.r;
  tensor[o + 1u] = rgb.g;
  tensor[o + 2u] = rgb.b;
}
`;
