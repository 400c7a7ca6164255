import { paramsWgsl } from './params.wgsl';

/** Neighbour k (left, right, up, down) of ROI pixel `id`, clamped to the image; ROI index or -1. */
const neighbourWgsl = /* wgsl */ `
fn neighbour(id: vec2<u32>, k: u32) -> vec3<i32> {
  var offsets = array<vec2i, 4>(vec2i(-1, 0), vec2i(1, 0), vec2i(0, -1), vec2i(0, 1));
  let p = clamp(vec2i(P.roi.xy + id) + offsets[k], vec2i(0), vec2i(P.image) - 1);
  let q = p - vec2i(P.roi.xy);
  var index = -1;
  if (all(q >= vec2i(0)) && all(q < vec2i(P.roi.zw))) {
    index = q.y * i32(P.roi.z) + q.x;
  }
  return vec3i(p, index);
}
`;

/**
 * Poisson right-hand side per domain pixel (alpha > 0): rgb = sum over neighbours q of
 * (g_p - g'_q) + (q outside the domain ? t_q : 0); a = bitmask of the neighbours in the domain.
 */
export const poissonRhsWgsl = /* wgsl */ `
${paramsWgsl}
${neighbourWgsl}
@group(0) @binding(1) var<storage, read> image: array<u32>;
@group(0) @binding(2) var<storage, read> alpha: array<f32>;
@group(0) @binding(3) var<storage, read> guide: array<vec4f>;
@group(0) @binding(4) var<storage, read_write> rhs: array<vec4f>;

@compute @workgroup_size(8, 8)
fn main(@builtin(global_invocation_id) id: vec3<u32>) {
  if (id.x >= P.roi.z || id.y >= P.roi.w) {
    return;
  }
  let i = id.y * P.roi.z + id.x;
  var result = vec4f(0.0);
  if (alpha[i] > 0.0) {
    var bits = 0u;
    var sum = vec3f(0.0);
    for (var k = 0u; k < 4u; k++) {
      let n = neighbour(id.xy, k);
      let t = unpack4x8unorm(image[u32(n.y) * P.image.x + u32(n.x)]).rgb;
      var g = t;
      var inDomain = false;
      if (n.z >= 0) {
        g = guide[n.z].rgb;
        inDomain = alpha[n.z] > 0.0;
      }
      sum += guide[i].rgb - g;
      if (inDomain) {
        bits |= 1u << k;
      } else {
        sum += t;
      }
    }
    result = vec4f(sum, f32(bits));
  }
  rhs[i] = result;
}
`;

/** One Jacobi iteration: f_p <- (rhs_p + sum of f over domain neighbours) / 4 on the domain. */
export const poissonStepWgsl = /* wgsl */ `
${paramsWgsl}
${neighbourWgsl}
@group(0) @binding(1) var<storage, read> alpha: array<f32>;
@group(0) @binding(2) var<storage, read> rhs: array<vec4f>;
@group(0) @binding(3) var<storage, read> current: array<vec4f>;
@group(0) @binding(4) var<storage, read_write> next: array<vec4f>;

@compute @workgroup_size(8, 8)
fn main(@builtin(global_invocation_id) id: vec3<u32>) {
  if (id.x >= P.roi.z || id.y >= P.roi.w) {
    return;
  }
  let i = id.y * P.roi.z + id.x;
  if (!(alpha[i] > 0.0)) {
    return;
  }
  let r = rhs[i];
  let bits = u32(r.a);
  var sum = r.rgb;
  for (var k = 0u; k < 4u; k++) {
    if ((bits & (1u << k)) != 0u) {
      sum += current[neighbour(id.xy, k).z].rgb;
    }
  }
  next[i] = vec4f(sum / 4.0, 0.0);
}
`;
