/**
 * The per-face uniform every kernel reads (144 bytes; packed by packFaceParams in face-params.ts),
 * and small helpers shared by the kernels.
 */
export const paramsWgsl = /* wgsl */ `
struct Params {
  roi: vec4<u32>,      // x, y, width, height in target pixels
  image: vec2<u32>,    // target width, height
  strength: f32,
  featherPx: f32,
  oval: vec2<u32>,     // start, count in the polygon point list
  mouth: vec2<u32>,    // count 0 when not kept
  leftEye: vec2<u32>,
  rightEye: vec2<u32>,
  colourGrid: vec4<u32>, // factor, width, height, radius of the colour stage's grid and Gaussian
  lips: vec2<u32>,     // where the occlusion test is off: outer lips and eye zones
  leftZone: vec2<u32>,
  rightZone: vec2<u32>,
  skin: vec2<u32>,     // skin sample points
  occlusion: f32,      // 1 when the occlusion test is on
  protectPx: f32,
  toneRate: f32,       // this frame's share in the track's skin model and tone statistics (1: replace)
  hand0: vec2<u32>,    // hands in front of the face, kept from the target (count 0 when none)
  hand1: vec2<u32>,
}

@group(0) @binding(0) var<uniform> P: Params;

/** Index into the full target image of ROI pixel (x, y). */
fn imageIndex(x: u32, y: u32) -> u32 {
  return (P.roi.y + y) * P.image.x + P.roi.x + x;
}
`;
