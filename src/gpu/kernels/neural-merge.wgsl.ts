/** Byte size of the merge kernel's uniform (MergeUniform below). */
export const MERGE_UNIFORM_BYTES = 16;

/** Packs one tile's dispatch parameters into the layout of MergeUniform. */
export function packMergeUniform(k: number, tileSize: number, phaseX: number, phaseY: number): ArrayBuffer {
  return Uint32Array.of(k, tileSize, phaseX, phaseY).buffer;
}

/**
 * Depth-to-space, one dispatch per tile (reference: mergeTilesReference in reference/neural-merge.ts):
 * each tile is its own GPUBuffer (an ONNX Runtime output), so a dispatch copies one tile's
 * 3 x tileSize^2 values to its phase (phaseX, phaseY) of the merged 3 x (k*tileSize)^2 tensor.
 */
export const neuralMergeWgsl = /* wgsl */ `
struct MergeUniform {
  k: u32,
  tileSize: u32,
  phase: vec2<u32>,
}

@group(0) @binding(0) var<uniform> U: MergeUniform;
@group(0) @binding(1) var<storage, read> tile: array<f32>;
@group(0) @binding(2) var<storage, read_write> merged: array<f32>;

@compute @workgroup_size(8, 8)
fn main(@builtin(global_invocation_id) id: vec3<u32>) {
  if (id.x >= U.tileSize || id.y >= U.tileSize) {
    return;
  }
  let side = U.k * U.tileSize;
  let inTile = id.y * U.tileSize + id.x;
  let inMerged = (id.y * U.k + U.phase.y) * side + id.x * U.k + U.phase.x;
  for (var c = 0u; c < 3u; c++) {
    merged[c * side * side + inMerged] = tile[c * U.tileSize * U.tileSize + inTile];
  }
}
`;
