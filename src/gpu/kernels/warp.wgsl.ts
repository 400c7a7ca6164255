import { paramsWgsl } from './params.wgsl';

/**
 * Warp: renders the target mesh triangles into an rgba32float ROI texture. Each triangle is drawn
 * as its bounding box grown by a pixel (6 vertices); each fragment computes its barycentric
 * coordinates at the pixel centre from the triangle's exact vertices and keeps the pixel when all
 * are >= 0, exactly as the reference does. Coverage therefore does not depend on the rasterizer's
 * subpixel snapping, which matters because the Poisson guide switches between source and target
 * on coverage. Covered pixels sample the source at the interpolated source point with manual
 * bilinear filtering, clamped to edges: rgb = colour in 0..1, a = 1; the pass clears to 0. Where
 * the source does not show a point's side (its `shown` below 1, interpolated), the colour mixes
 * towards the sample at the mirrored points (WarpPoints, packed by packWarpPoints).
 */
export const warpWgsl = /* wgsl */ `
${paramsWgsl}
@group(0) @binding(1) var source: texture_2d<f32>;
/**
 * Two entries per mesh point: target x, y, source x, y (pixels of their own images); the mirrored
 * point's source x, y, shown, 0.
 */
@group(0) @binding(2) var<storage, read> mesh: array<vec4f>;
@group(0) @binding(3) var<storage, read> triangles: array<u32>;

struct Varyings {
  @builtin(position) position: vec4f,
  @location(0) @interpolate(flat) triangle: u32,
}

@vertex
fn vertexMain(@builtin(vertex_index) vertex: u32) -> Varyings {
  let triangle = vertex / 6u;
  let a = mesh[triangles[triangle * 3u] * 2u].xy;
  let b = mesh[triangles[triangle * 3u + 1u] * 2u].xy;
  let c = mesh[triangles[triangle * 3u + 2u] * 2u].xy;
  let low = min(min(a, b), c) - 1.0;
  let high = max(max(a, b), c) + 1.0;
  var corners = array<vec2f, 6>(low, vec2f(high.x, low.y), vec2f(low.x, high.y), vec2f(low.x, high.y), vec2f(high.x, low.y), high);
  let ndc = (corners[vertex % 6u] - vec2f(P.roi.xy)) / vec2f(P.roi.zw) * 2.0 - 1.0;
  return Varyings(vec4f(ndc.x, -ndc.y, 0.0, 1.0), triangle);
}

fn sampleBilinear(coord: vec2f) -> vec3f {
  let last = vec2i(textureDimensions(source)) - 1;
  let s = clamp(coord - 0.5, vec2f(0.0), vec2f(last));
  let p0 = vec2i(floor(s));
  let p1 = min(p0 + 1, last);
  let f = s - floor(s);
  let c00 = textureLoad(source, p0, 0).rgb;
  let c10 = textureLoad(source, vec2i(p1.x, p0.y), 0).rgb;
  let c01 = textureLoad(source, vec2i(p0.x, p1.y), 0).rgb;
  let c11 = textureLoad(source, p1, 0).rgb;
  let top = c00 + (c10 - c00) * f.x;
  let bottom = c01 + (c11 - c01) * f.x;
  return top + (bottom - top) * f.y;
}

@fragment
fn fragmentMain(in: Varyings) -> @location(0) vec4f {
  let ia = triangles[in.triangle * 3u] * 2u;
  let ib = triangles[in.triangle * 3u + 1u] * 2u;
  let ic = triangles[in.triangle * 3u + 2u] * 2u;
  let a = mesh[ia];
  let b = mesh[ib];
  let c = mesh[ic];
  let origin = vec2f(P.roi.xy);
  let ta = a.xy - origin;
  let tb = b.xy - origin;
  let tc = c.xy - origin;
  let p = in.position.xy;
  let area = (tb.x - ta.x) * (tc.y - ta.y) - (tb.y - ta.y) * (tc.x - ta.x);
  let wa = ((tb.x - p.x) * (tc.y - p.y) - (tb.y - p.y) * (tc.x - p.x)) / area;
  let wb = ((tc.x - p.x) * (ta.y - p.y) - (tc.y - p.y) * (ta.x - p.x)) / area;
  let wc = 1.0 - wa - wb;
  if (!(wa >= 0.0 && wb >= 0.0 && wc >= 0.0)) {
    discard;
  }
  let own = sampleBilinear(wa * a.zw + wb * b.zw + wc * c.zw);
  let ma = mesh[ia + 1u];
  let mb = mesh[ib + 1u];
  let mc = mesh[ic + 1u];
  let shown = wa * ma.z + wb * mb.z + wc * mc.z;
  if (shown >= 1.0) {
    return vec4f(own, 1.0);
  }
  let other = sampleBilinear(wa * ma.xy + wb * mb.xy + wc * mc.xy);
  return vec4f(other + (own - other) * shown, 1.0);
}
`;
