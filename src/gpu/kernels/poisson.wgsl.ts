import { SEAM_FROM, SEAM_TO } from '../reference/poisson-stencils';
import { paramsWgsl } from './params.wgsl';

/** A cell's stencil: bit k of links = linked to neighbour k (left, right, up, down); diagonal 0 off D. */
const cellWgsl = /* wgsl */ `
struct Cell {
  links: u32,
  diagonal: f32,
}
`;

/**
 * The uniform of one multigrid step (48 bytes in a 256-byte slot per level and parity; packed by
 * packLevelParams in face-params.ts): the level's grid and its first cell in the per-cell buffers,
 * the next coarser level's, the level's spacing in ROI pixels, and the ROI's size and reflecting
 * sides (reference: reflectingSides).
 */
const levelWgsl = /* wgsl */ `
${cellWgsl}
struct Level {
  size: vec2<u32>,
  offset: u32,
  parity: u32,
  coarseSize: vec2<u32>,
  coarseOffset: u32,
  spacing: u32,
  roiSize: vec2<u32>,
  sides: u32,
}

@group(0) @binding(0) var<uniform> L: Level;

/** Cell (x, y) of the level. */
fn cellIndex(c: vec2<u32>) -> u32 {
  return L.offset + c.y * L.size.x + c.x;
}
`;

/** Directions k = 0..3: left, right, up, down. */
const directionsWgsl = /* wgsl */ `
var<private> DIRECTIONS = array<vec2i, 4>(vec2i(-1, 0), vec2i(1, 0), vec2i(0, -1), vec2i(0, 1));
`;

/**
 * Level 0 (reference: fineStencils): per ROI pixel in the domain, links to the domain neighbours,
 * the diagonal (4 less the reflecting sides), b = the sum of seamWeight x (t_q - g_q) over the
 * neighbours in the ROI outside the domain; x = 0.
 */
export const poissonFineWgsl = /* wgsl */ `
${paramsWgsl}
${cellWgsl}
${directionsWgsl}
@group(0) @binding(1) var<storage, read> image: array<u32>;
@group(0) @binding(2) var<storage, read> alpha: array<f32>;
@group(0) @binding(3) var<storage, read> guide: array<vec4f>;
@group(0) @binding(4) var<storage, read_write> stencil: array<Cell>;
@group(0) @binding(5) var<storage, read_write> b: array<vec4f>;
@group(0) @binding(6) var<storage, read_write> x: array<vec4f>;

@compute @workgroup_size(8, 8)
fn main(@builtin(global_invocation_id) id: vec3<u32>) {
  if (id.x >= P.roi.z || id.y >= P.roi.w) {
    return;
  }
  let i = id.y * P.roi.z + id.x;
  let sides = select(0u, 1u, P.roi.x == 0u) | select(0u, 2u, P.roi.x + P.roi.z == P.image.x) |
    select(0u, 4u, P.roi.y == 0u) | select(0u, 8u, P.roi.y + P.roi.w == P.image.y);
  var cell = Cell(0u, 0.0);
  var sum = vec3f(0.0);
  if (alpha[i] > 0.0) {
    for (var k = 0u; k < 4u; k++) {
      let q = vec2i(id.xy) + DIRECTIONS[k];
      if (any(q < vec2i(0)) || any(q >= vec2i(P.roi.zw))) {
        if ((sides & (1u << k)) == 0u) {
          cell.diagonal += 1.0;
        }
        continue;
      }
      let qi = u32(q.y) * P.roi.z + u32(q.x);
      cell.diagonal += 1.0;
      if (alpha[qi] > 0.0) {
        cell.links |= 1u << k;
      } else {
        let step = unpack4x8unorm(image[imageIndex(u32(q.x), u32(q.y))]).rgb - guide[qi].rgb;
        let largest = max(max(abs(step.r), abs(step.g)), abs(step.b));
        sum += step * (1.0 - smoothstep(${SEAM_FROM}, ${SEAM_TO}, largest));
      }
    }
  }
  stencil[i] = cell;
  b[i] = vec4f(sum, 0.0);
  x[i] = vec4f(0.0);
}
`;

/**
 * Level l >= 1 (reference: coarseStencils): the cell's centre is the corner (px, py) between ROI
 * pixels, in the domain when the 4 pixels around it are; along direction k, `through` is the
 * shorter run of domain pixels (counted up to H + 2) of the two lanes from the cell's own pixels:
 * a link when it reaches H + 2, else H / min(through - 0.5, H) on the diagonal.
 */
export const poissonCoarseWgsl = /* wgsl */ `
${levelWgsl}
${directionsWgsl}
@group(0) @binding(1) var<storage, read> alpha: array<f32>;
@group(0) @binding(2) var<storage, read_write> stencil: array<Cell>;

/** Past a reflecting side a ROI pixel is the edge pixel; past another, outside the domain. */
fn inDomain(p: vec2i) -> bool {
  let size = vec2i(L.roiSize);
  let low = vec2u(1u, 4u);
  let high = vec2u(2u, 8u);
  var q = p;
  for (var axis = 0; axis < 2; axis++) {
    if (q[axis] < 0) {
      if ((L.sides & low[axis]) == 0u) {
        return false;
      }
      q[axis] = 0;
    } else if (q[axis] >= size[axis]) {
      if ((L.sides & high[axis]) == 0u) {
        return false;
      }
      q[axis] = size[axis] - 1;
    }
  }
  return alpha[q.y * size.x + q.x] > 0.0;
}

/** How many domain pixels in a row start at \`start\` going \`step\`, counted up to \`cap\`. */
fn run(start: vec2i, step: vec2i, cap: i32) -> i32 {
  var n = 0;
  while (n < cap && inDomain(start + step * n)) {
    n++;
  }
  return n;
}

@compute @workgroup_size(8, 8)
fn main(@builtin(global_invocation_id) id: vec3<u32>) {
  if (id.x >= L.size.x || id.y >= L.size.y) {
    return;
  }
  let h = i32(L.spacing);
  let c = vec2i(id.xy) * h + h / 2;
  var inGrid = array<bool, 4>(id.x > 0u, id.x + 1u < L.size.x, id.y > 0u, id.y + 1u < L.size.y);
  var cell = Cell(0u, 0.0);
  if (min(run(c - 1, vec2i(1, 0), 2), run(vec2i(c.x - 1, c.y), vec2i(1, 0), 2)) >= 2) {
    for (var k = 0u; k < 4u; k++) {
      var lane0 = vec2i(select(c.x - 1, c.x, k == 0u), c.y - 1);
      var lane1 = vec2i(lane0.x, c.y);
      if (k >= 2u) {
        lane0 = vec2i(c.x - 1, select(c.y - 1, c.y, k == 2u));
        lane1 = vec2i(c.x, lane0.y);
      }
      let through = min(run(lane0, DIRECTIONS[k], h + 2), run(lane1, DIRECTIONS[k], h + 2));
      if (through < h + 2) {
        cell.diagonal += f32(h) / min(f32(through) - 0.5, f32(h));
      } else if (inGrid[k]) {
        cell.links |= 1u << k;
        cell.diagonal += 1.0;
      }
    }
  }
  stencil[cellIndex(id.xy)] = cell;
}
`;

/** The neighbour sum of x at cell i of the level: x over the linked neighbours. */
const linkedSumWgsl = /* wgsl */ `
fn linkedSum(i: u32, links: u32) -> vec3f {
  var sum = vec3f(0.0);
  if ((links & 1u) != 0u) {
    sum += x[i - 1u].rgb;
  }
  if ((links & 2u) != 0u) {
    sum += x[i + 1u].rgb;
  }
  if ((links & 4u) != 0u) {
    sum += x[i - L.size.x].rgb;
  }
  if ((links & 8u) != 0u) {
    sum += x[i + L.size.x].rgb;
  }
  return sum;
}
`;

/**
 * A red-black Gauss-Seidel half-sweep (reference: smooth): thread (tx, y) updates cell
 * (2 tx + (y + parity) % 2, y).
 */
export const poissonSmoothWgsl = /* wgsl */ `
${levelWgsl}
@group(0) @binding(1) var<storage, read> stencil: array<Cell>;
@group(0) @binding(2) var<storage, read> b: array<vec4f>;
@group(0) @binding(3) var<storage, read_write> x: array<vec4f>;
${linkedSumWgsl}

@compute @workgroup_size(8, 8)
fn main(@builtin(global_invocation_id) id: vec3<u32>) {
  let c = vec2u(id.x * 2u + ((id.y + L.parity) & 1u), id.y);
  if (c.x >= L.size.x || c.y >= L.size.y) {
    return;
  }
  let i = cellIndex(c);
  let cell = stencil[i];
  if (cell.diagonal == 0.0) {
    return;
  }
  x[i] = vec4f((b[i].rgb + linkedSum(i, cell.links)) / cell.diagonal, 0.0);
}
`;

/** Per coarse cell, the sum of its 2x2 children's residuals b - A x; its x = 0 (reference: restrict). */
export const poissonRestrictWgsl = /* wgsl */ `
${levelWgsl}
@group(0) @binding(1) var<storage, read> stencil: array<Cell>;
@group(0) @binding(2) var<storage, read_write> x: array<vec4f>;
@group(0) @binding(3) var<storage, read_write> b: array<vec4f>;
${linkedSumWgsl}

@compute @workgroup_size(8, 8)
fn main(@builtin(global_invocation_id) id: vec3<u32>) {
  if (id.x >= L.coarseSize.x || id.y >= L.coarseSize.y) {
    return;
  }
  var sum = vec3f(0.0);
  for (var dy = 0u; dy < 2u; dy++) {
    for (var dx = 0u; dx < 2u; dx++) {
      let f = id.xy * 2u + vec2u(dx, dy);
      if (f.x >= L.size.x || f.y >= L.size.y) {
        continue;
      }
      let i = cellIndex(f);
      let cell = stencil[i];
      if (cell.diagonal != 0.0) {
        sum += b[i].rgb - cell.diagonal * x[i].rgb + linkedSum(i, cell.links);
      }
    }
  }
  let j = L.coarseOffset + id.y * L.coarseSize.x + id.x;
  b[j] = vec4f(sum, 0.0);
  x[j] = vec4f(0.0);
}
`;

/**
 * Adds the coarser level's x, interpolated, to the level's x on its domain (reference: prolong):
 * fine index f reads coarse (f - 1) >> 1 and (f + 1) >> 1 (clamped), 3/4 on the nearer, over the
 * coarse cells in the domain only, their weights scaled to sum to 1.
 */
export const poissonProlongWgsl = /* wgsl */ `
${levelWgsl}
@group(0) @binding(1) var<storage, read> stencil: array<Cell>;
@group(0) @binding(2) var<storage, read_write> x: array<vec4f>;

@compute @workgroup_size(8, 8)
fn main(@builtin(global_invocation_id) id: vec3<u32>) {
  if (id.x >= L.size.x || id.y >= L.size.y) {
    return;
  }
  let i = cellIndex(id.xy);
  if (stencil[i].diagonal == 0.0) {
    return;
  }
  let f = vec2i(id.xy);
  let t = select(vec2f(0.75), vec2f(0.25), (id.xy & vec2u(1u)) == vec2u(1u));
  let c0 = max((f - 1) >> vec2u(1u), vec2i(0));
  let c1 = min((f + 1) >> vec2u(1u), vec2i(L.coarseSize) - 1);
  var cells = array<vec2i, 4>(c0, vec2i(c1.x, c0.y), vec2i(c0.x, c1.y), c1);
  var weights = array<f32, 4>((1.0 - t.x) * (1.0 - t.y), t.x * (1.0 - t.y), (1.0 - t.x) * t.y, t.x * t.y);
  var sum = 0.0;
  var value = vec3f(0.0);
  for (var k = 0; k < 4; k++) {
    let j = L.coarseOffset + u32(cells[k].y) * L.coarseSize.x + u32(cells[k].x);
    if (stencil[j].diagonal != 0.0) {
      sum += weights[k];
      value += weights[k] * x[j].rgb;
    }
  }
  if (sum > 0.0) {
    x[i] += vec4f(value / sum, 0.0);
  }
}
`;

/** The solution f = g + c per ROI pixel (a = 0), which the composite reads. */
export const poissonFinishWgsl = /* wgsl */ `
${paramsWgsl}
@group(0) @binding(1) var<storage, read> guide: array<vec4f>;
@group(0) @binding(2) var<storage, read> x: array<vec4f>;
@group(0) @binding(3) var<storage, read_write> solution: array<vec4f>;

@compute @workgroup_size(8, 8)
fn main(@builtin(global_invocation_id) id: vec3<u32>) {
  if (id.x >= P.roi.z || id.y >= P.roi.w) {
    return;
  }
  let i = id.y * P.roi.z + id.x;
  solution[i] = vec4f(guide[i].rgb + x[i].rgb, 0.0);
}
`;
