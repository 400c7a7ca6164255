import type { FaceGeometry } from './face-geometry';
import { LEVEL_BYTES, LEVEL_SLOT_BYTES, packFaceParams, packLevelParams, PARAMS_BYTES } from './face-params';
import { gpuBytes, type GpuFrame } from './gpu-frame';
import { TONE_SEGMENTS } from './kernels/tone.wgsl';
import { WARP_FORMAT, type Kernels } from './pipelines';
import { CELL_FLOATS, colourGrid, gaussianWeights, MAX_TAPS } from './reference/colour';
import { TONE_FLOATS } from './reference/tone';
import {
  poissonCells,
  poissonLevels,
  V_CYCLES,
  vCycleSteps,
  type MultigridStep,
  type PoissonLevel,
} from './reference/poisson';
import { TrackBuffers, type FaceState } from './track-buffers';
import type { FacePair, MeshTopology } from './types';
import { packWarpPoints, warpPoints } from './warp-points';

const TILE = 8;
const { STORAGE, COPY_SRC, COPY_DST, UNIFORM } = GPUBufferUsage;
/** Bytes per cell of the Poisson stencil buffer: links (u32) and diagonal (f32). */
const STENCIL_BYTES = 8;

type Resource = GPUBuffer | GPUTextureView;

/**
 * The GPU resources and passes of the mesh swap's faces, one face at a time: warp -> skin model ->
 * mask (blend domain and keep) -> tone match (regions, statistics, per-region Oklab transfer) ->
 * colour (grid statistics, separable blur, transfer) -> Poisson multigrid -> composite into the
 * frame's image. Nothing leaves the GPU. The buffers are kept for the session and grow to the
 * largest face seen (a video swaps every frame), so a swap allocates nothing once they are big
 * enough; prepare() points them at the next face. A tracked face's skin model and tone statistics
 * stay on the GPU from frame to frame (TrackBuffers), where each frame's are mixed into them.
 */
export class FacePass {
  private readonly params: GPUBuffer;
  /** Taps 0..radius of the colour stage's Gaussian on its grid (gaussianWeights), zero-padded. */
  private readonly colourWeights: GPUBuffer;
  private readonly buffers = new Map<string, GPUBuffer>();
  private warpTexture: GPUTexture | null = null;
  private warpView: GPUTextureView | null = null;
  /** Bind groups of the Poisson steps, which read only pooled buffers; dropped when one grows. */
  private readonly levelGroups = new Map<string, GPUBindGroup>();
  private readonly states: TrackBuffers;
  private face: {
    frame: GpuFrame;
    geometry: FaceGeometry;
    levels: PoissonLevel[];
    triangles: number;
    state: FaceState;
  } | null = null;

  constructor(
    private readonly device: GPUDevice,
    private readonly kernels: Kernels,
  ) {
    this.states = new TrackBuffers(device);
    this.params = device.createBuffer({ label: 'params', size: PARAMS_BYTES, usage: UNIFORM | COPY_DST });
    this.colourWeights = device.createBuffer({
      label: 'colour-weights',
      size: MAX_TAPS * 4,
      usage: STORAGE | COPY_DST,
    });
  }

  /** The ROI's warp: the top-left roi.width x roi.height texels of a texture that may be larger. */
  get warp(): GPUTexture {
    return this.warpTexture!;
  }
  get alpha(): GPUBuffer {
    return this.buffers.get('alpha')!;
  }
  /**
   * What of the swap each ROI pixel keeps (faceKeep), and the skin model it was tested against
   * (smoothed over the frames of the face's track when it has one).
   */
  get keep(): GPUBuffer {
    return this.buffers.get('keep')!;
  }
  get skin(): GPUBuffer {
    return this.current().state.skin;
  }
  /** The tone match's regions per ROI pixel (toneRegions) and the warp it matched (toneApply). */
  get toneRegions(): GPUBuffer {
    return this.buffers.get('tone-regions')!;
  }
  get matched(): GPUBuffer {
    return this.buffers.get('matched')!;
  }
  /** The current face's tone statistics (smoothed over its track's frames when it has one). */
  get toneStats(): GPUBuffer {
    return this.current().state.tone;
  }
  /** The colour stage's grid statistics (colourCells), then blurred (colourBlur along x, then y). */
  get colourCells(): GPUBuffer {
    return this.buffers.get('colour-cells')!;
  }
  get colourBlurred(): GPUBuffer {
    return this.buffers.get('colour-blurred')!;
  }
  get guide(): GPUBuffer {
    return this.buffers.get('guide')!;
  }
  /** The Poisson levels' stencils (links u32, diagonal f32 per cell), right-hand sides and unknowns. */
  get stencil(): GPUBuffer {
    return this.buffers.get('poisson-stencil')!;
  }
  get poissonB(): GPUBuffer {
    return this.buffers.get('poisson-b')!;
  }
  get poissonX(): GPUBuffer {
    return this.buffers.get('poisson-x')!;
  }
  get solution(): GPUBuffer {
    return this.buffers.get('solution')!;
  }

  /** Sizes the buffers for the face (growing them if needed) and writes its uniforms and meshes. */
  prepare(frame: GpuFrame, geometry: FaceGeometry, face: FacePair, topology: MeshTopology, strength: number) {
    const { roi } = geometry;
    const pixels = roi.width * roi.height;
    const grid = colourGrid(roi, geometry.colourSigma);
    const levels = poissonLevels(roi.width, roi.height);
    this.growWarp(roi.width, roi.height);
    this.grow('alpha', pixels * 4);
    this.grow('keep', pixels * 4);
    this.grow('tone-regions', pixels * 16);
    this.grow('tone-partials', roi.height * TONE_SEGMENTS * TONE_FLOATS * 4);
    this.grow('matched', pixels * 16);
    for (const name of ['colour-cells', 'colour-rows', 'colour-blurred']) {
      this.grow(name, grid.width * grid.height * CELL_FLOATS * 4);
    }
    this.grow('guide', pixels * 16);
    this.grow('poisson-stencil', poissonCells(roi.width, roi.height) * STENCIL_BYTES);
    this.grow('poisson-b', poissonCells(roi.width, roi.height) * 16);
    this.grow('poisson-x', poissonCells(roi.width, roi.height) * 16);
    this.grow('solution', pixels * 16);

    const write = (name: string, data: ArrayBufferView, usage = STORAGE | COPY_DST) => {
      this.grow(name, data.byteLength, usage);
      this.device.queue.writeBuffer(this.buffers.get(name)!, 0, gpuBytes(data));
    };
    const { rate, ...state } = this.states.for(face.track);
    const params = packFaceParams(geometry, frame.width, frame.height, strength, rate);
    this.device.queue.writeBuffer(this.params, 0, params);
    this.device.queue.writeBuffer(this.colourWeights, 0, gpuBytes(gaussianWeights(grid.sigma)));
    write('levels', new Uint8Array(packLevelParams(roi, frame.width, frame.height)), UNIFORM | COPY_DST);
    write('mesh', packWarpPoints(warpPoints(face, topology)));
    write('triangles', topology.triangles);
    write('polygons', geometry.polygons);
    this.face = {
      frame,
      geometry,
      levels,
      triangles: Math.floor(topology.triangles.length / 3),
      state,
    };
  }

  /** Renders the source onto the target mesh in the ROI, then the skin model and the blend mask. */
  encodeWarpAndMask(encoder: GPUCommandEncoder): void {
    const { frame, geometry, triangles } = this.current();
    const { width, height } = geometry.roi;
    const pass = encoder.beginRenderPass({
      colorAttachments: [
        { view: this.warpView!, loadOp: 'clear', storeOp: 'store', clearValue: [0, 0, 0, 0] },
      ],
    });
    pass.setPipeline(this.kernels.warp);
    pass.setViewport(0, 0, width, height, 0, 1);
    pass.setScissorRect(0, 0, width, height);
    pass.setBindGroup(
      0,
      this.bindGroup(this.kernels.warp, [
        this.params,
        frame.source.createView(),
        this.buffers.get('mesh')!,
        this.buffers.get('triangles')!,
      ]),
    );
    pass.draw(triangles * 6);
    pass.end();
    const compute = encoder.beginComputePass();
    const polygons = this.buffers.get('polygons')!;
    this.dispatch(compute, this.kernels.skin, [this.params, frame.image, polygons, this.skin], [1, 1]);
    this.dispatch(
      compute,
      this.kernels.mask,
      [this.params, this.warpView!, polygons, this.alpha, frame.image, this.skin, this.keep],
      [width, height],
    );
    compute.end();
  }

  /**
   * The tone match (regions, partial sums per row segment, totals mixed into the face's statistics,
   * the transfer), then the colour transfer on the matched warp: grid statistics, the blur along x
   * then y, the transfer per ROI pixel.
   */
  encodeColour(encoder: GPUCommandEncoder): void {
    const { frame, geometry } = this.current();
    const { roi } = geometry;
    const grid = colourGrid(roi, geometry.colourSigma);
    const [rows, regions, partials, matched, polygons] = [
      'colour-rows',
      'tone-regions',
      'tone-partials',
      'matched',
      'polygons',
    ].map((name) => this.buffers.get(name)!) as [GPUBuffer, GPUBuffer, GPUBuffer, GPUBuffer, GPUBuffer];
    const { params, alpha, keep, toneStats: stats, colourWeights: weights, guide } = this;
    const { colourCells: cells, colourBlurred: blurred, warpView } = this;
    const k = this.kernels;
    const pixels: [number, number] = [roi.width, roi.height];
    const cellsSize: [number, number] = [grid.width, grid.height];
    const steps: [GPUComputePipeline, Resource[], [number, number]][] = [
      [k.toneRegions, [params, polygons, alpha, keep, regions], pixels],
      [k.toneRows, [params, warpView!, frame.image, regions, partials], [TONE_SEGMENTS, roi.height]],
      [k.toneTotals, [params, partials, stats], [TILE, TILE]],
      [k.toneApply, [params, warpView!, regions, stats, matched], pixels],
      [k.colourCells, [params, matched, frame.image, alpha, cells, keep], cellsSize],
      [k.colourBlurX, [params, weights, cells, rows], cellsSize],
      [k.colourBlurY, [params, weights, rows, blurred], cellsSize],
      [k.colourApply, [params, matched, frame.image, blurred, guide, keep], pixels],
    ];
    const pass = encoder.beginComputePass();
    for (const [pipeline, resources, size] of steps) this.dispatch(pass, pipeline, resources, size);
    pass.end();
  }

  /** The Poisson solve: every level's stencils, V_CYCLES V-cycles (vCycleSteps), then f = g + c. */
  encodeBlend(encoder: GPUCommandEncoder): void {
    const { frame, geometry, levels } = this.current();
    const { roi } = geometry;
    const { params, alpha, guide, stencil, poissonB, poissonX, solution } = this;
    const pass = encoder.beginComputePass();
    this.dispatch(
      pass,
      this.kernels.poissonFine,
      [params, frame.image, alpha, guide, stencil, poissonB, poissonX],
      [roi.width, roi.height],
    );
    levels.forEach((level, l) => {
      if (l > 0) this.dispatchLevel(pass, 'coarse', l, 0, [level.width, level.height]);
    });
    const steps = vCycleSteps(levels.length);
    for (let cycle = 0; cycle < V_CYCLES; cycle++) {
      for (const step of steps) this.dispatchStep(pass, step, levels);
    }
    this.dispatch(
      pass,
      this.kernels.poissonFinish,
      [params, guide, poissonX, solution],
      [roi.width, roi.height],
    );
    pass.end();
  }

  /** Blends the solution into the frame's image where alpha > 0 and marks those pixels touched. */
  encodeComposite(encoder: GPUCommandEncoder): void {
    const { frame, geometry } = this.current();
    const pass = encoder.beginComputePass();
    this.dispatch(
      pass,
      this.kernels.composite,
      [this.params, this.alpha, this.solution, frame.image, frame.touched, this.keep],
      [geometry.roi.width, geometry.roi.height],
    );
    pass.end();
  }

  destroy(): void {
    for (const buffer of this.buffers.values()) buffer.destroy();
    this.buffers.clear();
    this.levelGroups.clear();
    this.states.destroy();
    this.warpTexture?.destroy();
    this.params.destroy();
    this.colourWeights.destroy();
  }

  private current() {
    if (!this.face) throw new Error('FacePass.prepare must run before the passes');
    return this.face;
  }

  /** Makes buffer `name` hold at least `bytes`, replacing it (and dropping the bind groups) when smaller. */
  private grow(
    name: string,
    bytes: number,
    usage: GPUBufferUsageFlags = STORAGE | COPY_SRC | COPY_DST,
  ): void {
    const size = Math.max(16, Math.ceil(bytes / 4) * 4);
    const old = this.buffers.get(name);
    if (old && old.size >= size) return;
    old?.destroy();
    this.buffers.set(name, this.device.createBuffer({ label: name, size, usage }));
    this.levelGroups.clear();
  }

  private growWarp(width: number, height: number): void {
    const old = this.warpTexture;
    if (old && old.width >= width && old.height >= height) return;
    old?.destroy();
    this.warpTexture = this.device.createTexture({
      label: 'warp',
      size: [Math.max(width, old?.width ?? 0), Math.max(height, old?.height ?? 0)],
      format: WARP_FORMAT,
      usage: GPUTextureUsage.RENDER_ATTACHMENT | GPUTextureUsage.TEXTURE_BINDING | GPUTextureUsage.COPY_SRC,
    });
    this.warpView = this.warpTexture.createView();
  }

  private dispatchStep(pass: GPUComputePassEncoder, step: MultigridStep, levels: PoissonLevel[]): void {
    const level = levels[step.level]!;
    if (step.kind === 'smooth') {
      this.dispatchLevel(pass, 'smooth', step.level, step.parity, [Math.ceil(level.width / 2), level.height]);
    } else if (step.kind === 'restrict') {
      const coarse = levels[step.level + 1]!;
      this.dispatchLevel(pass, 'restrict', step.level, 0, [coarse.width, coarse.height]);
    } else {
      this.dispatchLevel(pass, 'prolong', step.level, 0, [level.width, level.height]);
    }
  }

  /**
   * One dispatch of a multigrid kernel on level l: its Level uniform (slot 2 l + parity) at binding
   * 0, then the kernel's buffers. These bind groups are kept until a buffer grows.
   */
  private dispatchLevel(
    pass: GPUComputePassEncoder,
    kind: 'coarse' | 'smooth' | 'restrict' | 'prolong',
    l: number,
    parity: number,
    size: [number, number],
  ): void {
    const { alpha, stencil, poissonB: b, poissonX: x } = this;
    const [pipeline, buffers] = {
      coarse: [this.kernels.poissonCoarse, [alpha, stencil]] as const,
      smooth: [this.kernels.poissonSmooth, [stencil, b, x]] as const,
      restrict: [this.kernels.poissonRestrict, [stencil, x, b]] as const,
      prolong: [this.kernels.poissonProlong, [stencil, x]] as const,
    }[kind];
    const key = `${kind}-${l}-${parity}`;
    let group = this.levelGroups.get(key);
    if (!group) {
      const levels = this.buffers.get('levels')!;
      const slot = { buffer: levels, offset: (2 * l + parity) * LEVEL_SLOT_BYTES, size: LEVEL_BYTES };
      const entries = [slot, ...buffers.map((buffer) => ({ buffer }))];
      group = this.device.createBindGroup({
        layout: pipeline.getBindGroupLayout(0),
        entries: entries.map((resource, binding) => ({ binding, resource })),
      });
      this.levelGroups.set(key, group);
    }
    pass.setPipeline(pipeline);
    pass.setBindGroup(0, group);
    pass.dispatchWorkgroups(Math.ceil(size[0] / TILE), Math.ceil(size[1] / TILE));
  }

  private dispatch(
    pass: GPUComputePassEncoder,
    pipeline: GPUComputePipeline,
    resources: Resource[],
    size: [number, number],
  ): void {
    pass.setPipeline(pipeline);
    pass.setBindGroup(0, this.bindGroup(pipeline, resources));
    pass.dispatchWorkgroups(Math.ceil(size[0] / TILE), Math.ceil(size[1] / TILE));
  }

  /** A bind group with resource i at binding i. */
  private bindGroup(pipeline: GPUComputePipeline | GPURenderPipeline, resources: Resource[]): GPUBindGroup {
    const entries: GPUBindGroupEntry[] = resources.map((resource, binding) => ({
      binding,
      resource: resource instanceof GPUBuffer ? { buffer: resource } : resource,
    }));
    return this.device.createBindGroup({ layout: pipeline.getBindGroupLayout(0), entries });
  }
}
