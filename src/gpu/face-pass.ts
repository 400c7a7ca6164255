import type { FaceGeometry } from './face-geometry';
import { PARAMS_BYTES, packFaceParams } from './face-params';
import { gpuBytes, type GpuFrame } from './gpu-frame';
import { WARP_FORMAT, type Kernels } from './pipelines';
import { gaussianWeights, ROW_FLOATS } from './reference/colour';
import type { FacePair, MeshTopology } from './types';

const TILE = 8;
const { STORAGE, COPY_SRC, COPY_DST, UNIFORM } = GPUBufferUsage;

/**
 * The GPU resources and passes for one face: warp -> mask -> colour (horizontal blur, then vertical
 * blur and transfer) -> Poisson right-hand side -> Jacobi iterations -> composite into the frame's
 * image. Every buffer is per ROI pixel; nothing leaves the GPU.
 */
export class FacePass {
  readonly warp: GPUTexture;
  readonly alpha: GPUBuffer;
  /** The colour stage's horizontal pass: ROW_FLOATS per ROI pixel (colourRows). */
  readonly colourRows: GPUBuffer;
  readonly guide: GPUBuffer;
  readonly rhs: GPUBuffer;
  /** The Jacobi ping-pong pair; after encodePoisson, `solution` is the one holding f. */
  readonly iterates: readonly [GPUBuffer, GPUBuffer];
  solution: GPUBuffer;
  /** Taps 0..radius of the colour stage's Gaussian (gaussianWeights). */
  private readonly colourWeights: GPUBuffer;
  private readonly params: GPUBuffer;
  private readonly mesh: GPUBuffer;
  private readonly triangles: GPUBuffer;
  private readonly polygons: GPUBuffer;
  private readonly triangleCount: number;
  private readonly owned: { destroy(): void }[] = [];

  constructor(
    private readonly device: GPUDevice,
    private readonly kernels: Kernels,
    private readonly frame: GpuFrame,
    private readonly geometry: FaceGeometry,
    face: FacePair,
    topology: MeshTopology,
    strength: number,
  ) {
    const pixels = geometry.roi.width * geometry.roi.height;
    this.warp = this.own(
      device.createTexture({
        label: 'warp',
        size: [geometry.roi.width, geometry.roi.height],
        format: WARP_FORMAT,
        usage: GPUTextureUsage.RENDER_ATTACHMENT | GPUTextureUsage.TEXTURE_BINDING | GPUTextureUsage.COPY_SRC,
      }),
    );
    this.alpha = this.buffer('alpha', pixels * 4, STORAGE | COPY_SRC);
    this.colourRows = this.buffer('colour-rows', pixels * ROW_FLOATS * 4, STORAGE | COPY_SRC);
    this.guide = this.buffer('guide', pixels * 16, STORAGE | COPY_SRC);
    this.rhs = this.buffer('poisson-rhs', pixels * 16, STORAGE | COPY_SRC);
    this.iterates = [
      this.buffer('poisson-f0', pixels * 16, STORAGE | COPY_SRC | COPY_DST),
      this.buffer('poisson-f1', pixels * 16, STORAGE | COPY_SRC),
    ];
    this.solution = this.iterates[0];

    this.params = this.buffer('params', PARAMS_BYTES, UNIFORM | COPY_DST);
    device.queue.writeBuffer(this.params, 0, packFaceParams(geometry, frame.width, frame.height, strength));
    const mesh = new Float32Array(face.target.length * 2);
    for (let i = 0; i < face.target.length / 2; i++) {
      mesh.set(
        [face.target[i * 2]!, face.target[i * 2 + 1]!, face.source[i * 2]!, face.source[i * 2 + 1]!],
        i * 4,
      );
    }
    this.mesh = this.upload('mesh', mesh, STORAGE);
    this.triangleCount = Math.floor(topology.triangles.length / 3);
    this.triangles = this.upload('triangles', topology.triangles, STORAGE);
    this.polygons = this.upload('polygons', geometry.polygons, STORAGE);
    this.colourWeights = this.upload('colour-weights', gaussianWeights(geometry.colourSigma), STORAGE);
  }

  /** Renders the source onto the target mesh in the ROI, then computes the blend mask. */
  encodeWarpAndMask(encoder: GPUCommandEncoder): void {
    const pass = encoder.beginRenderPass({
      colorAttachments: [
        { view: this.warp.createView(), loadOp: 'clear', storeOp: 'store', clearValue: [0, 0, 0, 0] },
      ],
    });
    pass.setPipeline(this.kernels.warp);
    pass.setBindGroup(
      0,
      this.bindGroup(this.kernels.warp, [
        this.params,
        this.frame.source.createView(),
        this.mesh,
        this.triangles,
      ]),
    );
    pass.draw(this.triangleCount * 6);
    pass.end();
    this.dispatchTiles(encoder, this.kernels.mask, [
      this.params,
      this.warp.createView(),
      this.polygons,
      this.alpha,
    ]);
  }

  /** The mask-weighted low-frequency colour transfer: horizontal blur, then vertical blur and transfer. */
  encodeColour(encoder: GPUCommandEncoder): void {
    this.dispatchTiles(encoder, this.kernels.colourRows, [
      this.params,
      this.warp.createView(),
      this.frame.image,
      this.alpha,
      this.colourWeights,
      this.colourRows,
    ]);
    this.dispatchTiles(encoder, this.kernels.colourApply, [
      this.params,
      this.warp.createView(),
      this.frame.image,
      this.colourWeights,
      this.colourRows,
      this.guide,
    ]);
  }

  /** Builds the Poisson right-hand side and runs `iterations` Jacobi steps starting from the guide. */
  encodePoisson(encoder: GPUCommandEncoder, iterations: number): void {
    const { poissonRhs, poissonStep } = this.kernels;
    this.dispatchTiles(encoder, poissonRhs, [
      this.params,
      this.frame.image,
      this.alpha,
      this.guide,
      this.rhs,
    ]);
    const [f0, f1] = this.iterates;
    encoder.copyBufferToBuffer(this.guide, 0, f0, 0, f0.size);
    const groups = [
      this.bindGroup(poissonStep, [this.params, this.alpha, this.rhs, f0, f1]),
      this.bindGroup(poissonStep, [this.params, this.alpha, this.rhs, f1, f0]),
    ];
    const pass = encoder.beginComputePass();
    pass.setPipeline(poissonStep);
    for (let n = 0; n < iterations; n++) {
      pass.setBindGroup(0, groups[n % 2]!);
      pass.dispatchWorkgroups(...this.tiles());
    }
    pass.end();
    this.solution = this.iterates[iterations % 2]!;
  }

  /** Blends the solution into the frame's image where alpha > 0 and marks those pixels touched. */
  encodeComposite(encoder: GPUCommandEncoder): void {
    this.dispatchTiles(encoder, this.kernels.composite, [
      this.params,
      this.alpha,
      this.solution,
      this.frame.image,
      this.frame.touched,
    ]);
  }

  destroy(): void {
    for (const resource of this.owned) resource.destroy();
  }

  private tiles(): [number, number] {
    return [Math.ceil(this.geometry.roi.width / TILE), Math.ceil(this.geometry.roi.height / TILE)];
  }

  private dispatchTiles(
    encoder: GPUCommandEncoder,
    pipeline: GPUComputePipeline,
    resources: (GPUBuffer | GPUTextureView)[],
  ): void {
    const pass = encoder.beginComputePass();
    pass.setPipeline(pipeline);
    pass.setBindGroup(0, this.bindGroup(pipeline, resources));
    pass.dispatchWorkgroups(...this.tiles());
    pass.end();
  }

  /** A bind group with resource i at binding i. */
  private bindGroup(
    pipeline: GPUComputePipeline | GPURenderPipeline,
    resources: (GPUBuffer | GPUTextureView)[],
  ): GPUBindGroup {
    const entries: GPUBindGroupEntry[] = resources.map((resource, binding) => ({
      binding,
      resource: resource instanceof GPUBuffer ? { buffer: resource } : resource,
    }));
    return this.device.createBindGroup({ layout: pipeline.getBindGroupLayout(0), entries });
  }

  private buffer(label: string, size: number, usage: GPUBufferUsageFlags): GPUBuffer {
    return this.own(this.device.createBuffer({ label, size: Math.max(16, Math.ceil(size / 4) * 4), usage }));
  }

  private upload(label: string, data: Float32Array | Uint32Array, usage: GPUBufferUsageFlags): GPUBuffer {
    const buffer = this.buffer(label, data.byteLength, usage | COPY_DST);
    if (data.byteLength > 0) this.device.queue.writeBuffer(buffer, 0, gpuBytes(data));
    return buffer;
  }

  private own<T extends { destroy(): void }>(resource: T): T {
    this.owned.push(resource);
    return resource;
  }
}
