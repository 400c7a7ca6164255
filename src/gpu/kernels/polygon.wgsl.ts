/** Polygon helpers of the mask kernels (reference: reference/polygon.ts); reads `polygons`. */
export const polygonWgsl = /* wgsl */ `
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
`;
