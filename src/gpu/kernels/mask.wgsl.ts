import { MIN_ALPHA } from '../reference/mask';
import { paramsWgsl } from './params.wgsl';

/**
 * Mask: per ROI pixel, alpha = coverage * ramp(featherPx, inside-distance to the oval), times
 * ramp(featherPx / 2, outside-distance) for each kept mouth/eye polygon; 0 below MIN_ALPHA.
 */
export const maskWgsl = /* wgsl */ `
${paramsWgsl}
@group(0) @binding(1) var warp: texture_2d<f32>;
@group(0) @binding(2) var<storage, read> polygons: array<vec2f>;
@group(0) @binding(3) var<storage, read_write> alpha: array<f32>;

const MIN_ALPHA = ${MIN_ALPHA};

/** Distance to the nearest edge, positive inside (even-odd rule), negative outside. */
fn insideDistance(p: vec2f, range: vec2<u32>) -> f32 {
  var nearest = 3.0e38;
  var inside = false;
  for (var i = 0u; i < range.y; i++) {
    let j = select(i - 1u, range.y - 1u, i == 0u);
    let a = polygons[range.x + j];
    let b = polygons[range.x + i];
    let e = b - a;
    let q = p - a;
    let lengthSq = e.x * e.x + e.y * e.y;
    var h = 0.0;
    if (lengthSq > 0.0) {
      h = clamp((q.x * e.x + q.y * e.y) / lengthSq, 0.0, 1.0);
    }
    nearest = min(nearest, length(q - e * h));
    if ((a.y > p.y) != (b.y > p.y) && p.x < e.x * (p.y - a.y) / e.y + a.x) {
      inside = !inside;
    }
  }
  return select(-nearest, nearest, inside);
}

fn ramp(edge: f32, x: f32) -> f32 {
  if (edge <= 0.0) {
    return select(0.0, 1.0, x > 0.0);
  }
  let t = clamp(x / edge, 0.0, 1.0);
  return t * t * (3.0 - 2.0 * t);
}

fn cutOut(a: f32, p: vec2f, range: vec2<u32>) -> f32 {
  if (range.y < 3u || a <= 0.0) {
    return a;
  }
  return a * ramp(P.featherPx * 0.5, -insideDistance(p, range));
}

@compute @workgroup_size(8, 8)
fn main(@builtin(global_invocation_id) id: vec3<u32>) {
  if (id.x >= P.roi.z || id.y >= P.roi.w) {
    return;
  }
  let coverage = textureLoad(warp, id.xy, 0).a;
  var a = 0.0;
  if (coverage > 0.0) {
    let p = vec2f(P.roi.xy + id.xy) + 0.5;
    a = coverage * ramp(P.featherPx, insideDistance(p, P.oval));
    a = cutOut(a, p, P.mouth);
    a = cutOut(a, p, P.leftEye);
    a = cutOut(a, p, P.rightEye);
  }
  alpha[id.y * P.roi.z + id.x] = select(0.0, a, a >= MIN_ALPHA);
}
`;
