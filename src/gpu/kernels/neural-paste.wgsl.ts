import { MAX_HANDS } from '../face-geometry';
import { ERF_A, ERF_P } from '../reference/erf';
import type { PackedHands } from '../reference/hand-holes';
import { boxMaskEdges, MAX_MODEL_MASKS, type PasteParams } from '../reference/neural-paste';
import { polygonWgsl } from './polygon.wgsl';

/** Byte size of the paste kernel's uniform (PasteUniform below). */
export const PASTE_UNIFORM_BYTES = 160;

/**
 * Packs paste parameters, the frame width and the hand holes (packHands(p.hands), their points
 * bound at binding 6) into the layout of PasteUniform.
 */
export function packPasteUniform(p: PasteParams, frameWidth: number, hands: PackedHands): ArrayBuffer {
  const buffer = new ArrayBuffer(PASTE_UNIFORM_BYTES);
  const f32 = new Float32Array(buffer);
  const u32 = new Uint32Array(buffer);
  const [a, b, c, d, e, f] = p.toCrop;
  const { x0, x1, y0, y1, sigma } = boxMaskEdges(p.size, p.mask);
  f32.set([a, b, c, 0, d, e, f, 0, x0, x1, y0, y1], 0);
  u32.set([...p.region, frameWidth, p.size], 12);
  f32.set([sigma === 0 ? 0 : 1 / (sigma * Math.SQRT2), p.outScale, p.outOffset, p.amount], 18);
  // Sides of the model masks at bindings 4 and 5 (MAX_MODEL_MASKS), 0 where there is none.
  for (let k = 0; k < MAX_MODEL_MASKS; k++) u32[22 + k] = p.modelMasks?.[k]?.side ?? 0;
  // Per hand (MAX_HANDS): its range (count 0: none), then its box; then the ramp's width.
  for (let k = 0; k < MAX_HANDS; k++) {
    u32.set(hands.ranges[k] ?? [0, 0], 24 + 2 * k);
    f32.set(hands.boxes[k] ?? [0, 0, 0, 0], 28 + 4 * k);
  }
  f32[36] = hands.edge;
  return buffer;
}

/**
 * Paste-back with FaceFusion's box mask (reference: pasteReference in reference/neural-paste.ts).
 * One invocation per pixel of the region: the pixel is mapped into the crop, the blurred box mask is
 * evaluated analytically (a product of erf differences, the same A&S 7.1.26 erf as reference/erf.ts),
 * min'd with each model mask sampled bilinearly: binding 4 when maskSides.x > 0, then binding 5 when
 * maskSides.y > 0 (each then its side x side mask; otherwise any small buffer, unread), then with the
 * hand holes (handHolesValue: the outlines' points at binding 6, at least one vec2f), and where
 * mask * amount > 0 the crop is sampled bilinearly (replicate border), mapped to 0..255 and
 * blended into the packed frame pixel, alpha byte kept; the pixel's byte in `touched` is set.
 * Bytes are assembled by shifts so the rounding is exactly the reference's floor(x + 0.5).
 */
export const neuralPasteWgsl = /* wgsl */ `
struct PasteUniform {
  toCrop0: vec4f, // a, b, c, unused
  toCrop1: vec4f, // d, e, f, unused
  edges: vec4f,   // the box's ones: x0, x1, y0, y1 in crop coordinates
  region: vec4<u32>,
  frameWidth: u32,
  size: u32,
  spread: f32,    // 1 / (sigma * sqrt 2); 0 for the unblurred box
  outScale: f32,
  outOffset: f32,
  amount: f32,
  maskSides: vec2<u32>, // the model masks' sides at bindings 4 and 5; 0: none there
  handRanges: vec4<u32>, // first point and point count of hand 0, then of hand 1; count 0: none
  handBoxes: array<vec4f, 2>, // MAX_HANDS: each hand's outline grown by handEdge: x0, y0, x1, y1
  handEdge: f32,  // the hole's ramp width: half the face's feather
}

@group(0) @binding(0) var<uniform> U: PasteUniform;
@group(0) @binding(1) var<storage, read> crop: array<f32>;
@group(0) @binding(2) var<storage, read_write> image: array<u32>;
@group(0) @binding(3) var<storage, read_write> touched: array<atomic<u32>>;
@group(0) @binding(4) var<storage, read> modelMask0: array<f32>;
@group(0) @binding(5) var<storage, read> modelMask1: array<f32>;
@group(0) @binding(6) var<storage, read> polygons: array<vec2f>;
${polygonWgsl}

fn erf(x: f32) -> f32 {
  let ax = abs(x);
  let t = 1.0 / (1.0 + ${ERF_P} * ax);
  let poly = t * (${ERF_A[0]} + t * (${ERF_A[1]} + t * (${ERF_A[2]} + t * (${ERF_A[3]} + t * ${ERF_A[4]}))));
  let y = 1.0 - poly * exp(-ax * ax);
  return select(y, -y, x < 0.0);
}

fn profile(t: f32, lo: f32, hi: f32) -> f32 {
  if (U.spread == 0.0) {
    return select(0.0, 1.0, t >= lo && t <= hi);
  }
  return clamp(0.5 * (erf((t - lo) * U.spread) - erf((t - hi) * U.spread)), 0.0, 1.0);
}

fn sampleCrop(at: vec2f) -> vec3f {
  let last = f32(U.size - 1u);
  let s = clamp(at, vec2f(0.0), vec2f(last));
  let p0 = floor(s);
  let f = s - p0;
  let i0 = vec2u(p0);
  let i1 = vec2u(min(p0 + 1.0, vec2f(last)));
  let plane = U.size * U.size;
  var rgb: vec3f;
  for (var c = 0u; c < 3u; c++) {
    let o = c * plane;
    let c00 = crop[o + i0.y * U.size + i0.x];
    let c10 = crop[o + i0.y * U.size + i1.x];
    let c01 = crop[o + i1.y * U.size + i0.x];
    let c11 = crop[o + i1.y * U.size + i1.x];
    let top = c00 + (c10 - c00) * f.x;
    let bottom = c01 + (c11 - c01) * f.x;
    rgb[c] = top + (bottom - top) * f.y;
  }
  return rgb;
}

// Bilinear taps of a side x side model mask at crop point at: four indices and the fractions.
struct MaskTaps {
  index: vec4<u32>, // (u0, v0), (u1, v0), (u0, v1), (u1, v1)
  f: vec2f,
}

fn maskTaps(at: vec2f, sideU: u32) -> MaskTaps {
  let side = f32(sideU);
  let last = side - 1.0;
  let s = clamp((at + 0.5) * side / f32(U.size) - 0.5, vec2f(0.0), vec2f(last));
  let p0 = floor(s);
  let i0 = vec2u(p0);
  let i1 = vec2u(min(p0 + 1.0, vec2f(last)));
  let index = vec4u(i0.y * sideU + i0.x, i0.y * sideU + i1.x, i1.y * sideU + i0.x, i1.y * sideU + i1.x);
  return MaskTaps(index, s - p0);
}

fn bilinear(m: vec4f, f: vec2f) -> f32 {
  let top = m.x + (m.y - m.x) * f.x;
  let bottom = m.z + (m.w - m.z) * f.x;
  return top + (bottom - top) * f.y;
}

fn sampleModelMask0(at: vec2f) -> f32 {
  let t = maskTaps(at, U.maskSides.x);
  let i = t.index;
  return bilinear(vec4f(modelMask0[i.x], modelMask0[i.y], modelMask0[i.z], modelMask0[i.w]), t.f);
}

fn sampleModelMask1(at: vec2f) -> f32 {
  let t = maskTaps(at, U.maskSides.y);
  let i = t.index;
  return bilinear(vec4f(modelMask1[i.x], modelMask1[i.y], modelMask1[i.z], modelMask1[i.w]), t.f);
}

fn handHole(p: vec2f, box: vec4f, range: vec2<u32>) -> f32 {
  if (range.y == 0u || !(p.x > box.x && p.y > box.y && p.x < box.z && p.y < box.w)) {
    return 1.0;
  }
  return ramp(U.handEdge, -insideDistance(p, range));
}

@compute @workgroup_size(8, 8)
fn main(@builtin(global_invocation_id) id: vec3<u32>) {
  if (id.x >= U.region.z || id.y >= U.region.w) {
    return;
  }
  let x = U.region.x + id.x;
  let y = U.region.y + id.y;
  let pixel = vec3f(f32(x), f32(y), 1.0);
  let at = vec2f(dot(U.toCrop0.xyz, pixel), dot(U.toCrop1.xyz, pixel));
  let edge = f32(U.size) - 0.5;
  if (any(at < vec2f(-0.5)) || any(at > vec2f(edge))) {
    return;
  }
  var mask = min(profile(at.x, U.edges.x, U.edges.y) * profile(at.y, U.edges.z, U.edges.w), 1.0);
  if (U.maskSides.x > 0u && mask > 0.0) {
    mask = min(mask, sampleModelMask0(at));
  }
  if (U.maskSides.y > 0u && mask > 0.0) {
    mask = min(mask, sampleModelMask1(at));
  }
  if (mask > 0.0) {
    let centre = vec2f(f32(x) + 0.5, f32(y) + 0.5);
    mask = min(mask, handHole(centre, U.handBoxes[0], U.handRanges.xy));
    mask = min(mask, handHole(centre, U.handBoxes[1], U.handRanges.zw));
  }
  let m = mask * U.amount;
  if (!(m > 0.0)) {
    return;
  }
  let colour = clamp(sampleCrop(at) * U.outScale + U.outOffset, vec3f(0.0), vec3f(255.0));
  let p = y * U.frameWidth + x;
  let old = image[p];
  let frame = vec3f(f32(old & 0xffu), f32((old >> 8u) & 0xffu), f32((old >> 16u) & 0xffu));
  let blended = vec3u(clamp(floor(m * colour + (1.0 - m) * frame + 0.5), vec3f(0.0), vec3f(255.0)));
  image[p] = (old & 0xff000000u) | blended.x | (blended.y << 8u) | (blended.z << 16u);
  atomicOr(&touched[p / 4u], 1u << ((p % 4u) * 8u));
}
`;
