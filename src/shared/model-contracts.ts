/**
 * Input/output contracts of the neural engine's models, per role, exactly as insightface and
 * FaceFusion call the real files. A file is accepted for a role when its graph inputs and outputs fit
 * one of the role's contracts (see `checkContract`). Pure data and functions: used by
 * `npm run models:add` (scripts/models/add.ts), by the contract-model generator, and later by the
 * app's "Import model files".
 *
 * Sources (read for the numbers below):
 * - insightface python-package/insightface/model_zoo/scrfd.py, arcface_onnx.py, inswapper.py
 *   (https://github.com/deepinsight/insightface/tree/master/python-package/insightface/model_zoo)
 * - FaceFusion facefusion/face_detector.py, face_recognizer.py, face_masker.py,
 *   processors/modules/face_swapper.py, face_enhancer.py (https://github.com/facefusion/facefusion)
 */

export const modelRoles = ['detector', 'embedder', 'swapper', 'enhancer', 'masker'] as const;
export type ModelRole = (typeof modelRoles)[number];

/** A dimension: a number, or a symbolic name (any size). */
export type Dim = number | string;

export interface TensorContract {
  name: string;
  /** float32 in the reference files; fp16 copies may use float16 for their inputs and outputs. */
  dtype: 'float32';
  shape: readonly Dim[];
  layout: 'NCHW' | 'NHWC' | 'vector' | 'rows';
  /** Range of the values fed or produced; null where unbounded (logits, raw embeddings, offsets). */
  range: readonly [number, number] | null;
  /** Channel order of image tensors. */
  channels?: 'RGB' | 'BGR';
  /** How pixels in 0..255 become this tensor, or how the output is read. */
  meaning: string;
}

export interface ModelContract {
  /** Stable id, referenced from the manifest's `contract` field. */
  id: string;
  role: ModelRole;
  /** The reference model this contract describes. */
  reference: string;
  /**
   * 'exact': callers feed tensors by these names (the swapper: `target`, `source` in insightface and
   * FaceFusion). 'positional': names differ between exports (insightface's `input.1`, FaceFusion's
   * `input`), callers use the session's input/output order; names here are informational.
   */
  names: 'exact' | 'positional';
  inputs: readonly TensorContract[];
  outputs: readonly TensorContract[];
  /** License of the reference weights (an operator states their own file's license). */
  license: { name: string; url: string };
  source: string;
}

const insightfaceLicense = {
  name: 'insightface pretrained models: non-commercial research use only',
  url: 'https://github.com/deepinsight/insightface#license',
} as const;

const rgb01 = 'RGB, x / 255';

const detectorOutputs = (): TensorContract[] => {
  const kinds = [
    { what: 'score', cols: 1, meaning: 'face score per anchor after sigmoid', range: [0, 1] as const },
    { what: 'bbox', cols: 4, meaning: 'distances left, top, right, bottom in stride units', range: null },
    { what: 'kps', cols: 10, meaning: '5 points (x, y) as offsets in stride units', range: null },
  ];
  // det_10g's output names, in its output order: scores 8/16/32, boxes 8/16/32, points 8/16/32.
  const names = ['448', '471', '494', '451', '474', '497', '454', '477', '500'];
  return kinds.flatMap((kind, k) =>
    [8, 16, 32].map((stride, s) => ({
      name: names[k * 3 + s] ?? '',
      dtype: 'float32' as const,
      // Rows = (640 / stride)^2 cells x 2 anchors at a 640x640 input; symbolic in dynamic exports.
      shape: [(640 / stride) ** 2 * 2, kind.cols],
      layout: 'rows' as const,
      range: kind.range,
      meaning: `stride ${stride} ${kind.what}: ${kind.meaning}; rows ordered (row, col, anchor)`,
    })),
  );
};

/** Every contract, per role. A role may accept several forms (the masker: occlusion or region). */
export const modelContracts: Readonly<Record<ModelRole, readonly ModelContract[]>> = {
  detector: [
    {
      id: 'detector/scrfd_10g',
      role: 'detector',
      reference: 'SCRFD det_10g (insightface buffalo_l)',
      names: 'positional',
      inputs: [
        {
          name: 'input.1',
          dtype: 'float32',
          // det_10g is exported with dynamic height/width; 640x640 is what insightface and FaceFusion feed.
          shape: [1, 3, 640, 640],
          layout: 'NCHW',
          range: [-127.5 / 128, 127.5 / 128],
          channels: 'RGB',
          meaning: 'RGB letterboxed top-left onto 640x640 zeros, (x - 127.5) / 128',
        },
      ],
      outputs: detectorOutputs(),
      license: insightfaceLicense,
      source:
        'insightface model_zoo/scrfd.py (fmc=3, strides 8/16/32, 2 anchors); facefusion face_detector.py',
    },
  ],
  embedder: [
    {
      id: 'embedder/arcface_w600k_r50',
      role: 'embedder',
      reference: 'ArcFace w600k_r50 (insightface buffalo_l)',
      names: 'positional',
      inputs: [
        {
          name: 'input.1',
          dtype: 'float32',
          shape: [1, 3, 112, 112],
          layout: 'NCHW',
          range: [-1, 1],
          channels: 'RGB',
          meaning: 'face aligned to the ArcFace 112 template, RGB, (x - 127.5) / 127.5',
        },
      ],
      outputs: [
        {
          name: '683',
          dtype: 'float32',
          shape: [1, 512],
          layout: 'vector',
          range: null,
          meaning: 'identity embedding, not normalised: callers L2-normalise it',
        },
      ],
      license: insightfaceLicense,
      source:
        'insightface model_zoo/arcface_onnx.py (input_mean 127.5, input_std 127.5); facefusion face_recognizer.py',
    },
  ],
  swapper: [
    {
      id: 'swapper/inswapper_128',
      role: 'swapper',
      reference: 'inswapper_128 (insightface; also its fp16 copy in FaceFusion)',
      names: 'exact',
      inputs: [
        {
          name: 'target',
          dtype: 'float32',
          shape: [1, 3, 128, 128],
          layout: 'NCHW',
          range: [0, 1],
          channels: 'RGB',
          meaning: `target face aligned to the ArcFace template at 128 px (x + 8), ${rgb01}`,
        },
        {
          name: 'source',
          dtype: 'float32',
          shape: [1, 512],
          layout: 'vector',
          range: [-1, 1],
          meaning:
            "latent = normalise(normalise(embedding) . emap), emap = the graph's last initializer (512x512)",
        },
      ],
      outputs: [
        {
          name: 'output',
          dtype: 'float32',
          shape: [1, 3, 128, 128],
          layout: 'NCHW',
          range: [0, 1],
          channels: 'RGB',
          meaning: 'swapped face, RGB; callers clip to [0, 1] and scale by 255',
        },
      ],
      license: {
        name: 'insightface inswapper: non-commercial research use only',
        url: 'https://github.com/deepinsight/insightface/tree/master/examples/in_swapper',
      },
      source:
        'insightface model_zoo/inswapper.py (blobFromImage 1/255 swapRB, emap = initializer[-1]); facefusion face_swapper.py',
    },
  ],
  enhancer: [
    {
      id: 'enhancer/gfpgan_1.4',
      role: 'enhancer',
      reference: 'GFPGAN 1.4 (FaceFusion ONNX export)',
      names: 'positional',
      inputs: [
        {
          name: 'input',
          dtype: 'float32',
          shape: [1, 3, 512, 512],
          layout: 'NCHW',
          range: [-1, 1],
          channels: 'RGB',
          meaning: 'face aligned to the FFHQ 512 template, RGB, (x / 255 - 0.5) / 0.5',
        },
      ],
      outputs: [
        {
          name: 'output',
          dtype: 'float32',
          shape: [1, 3, 512, 512],
          layout: 'NCHW',
          range: [-1, 1],
          channels: 'RGB',
          meaning: 'restored face; callers clip to [-1, 1], then (y + 1) / 2 * 255',
        },
      ],
      license: {
        name: 'Apache-2.0 (GFPGAN; parts under the NVIDIA StyleGAN2 license)',
        url: 'https://github.com/TencentARC/GFPGAN/blob/master/LICENSE',
      },
      source: 'facefusion processors/modules/face_enhancer.py (gfpgan_1.4, template ffhq_512, size 512)',
    },
  ],
  masker: [
    {
      id: 'masker/xseg_occlusion',
      role: 'masker',
      reference: 'XSeg occlusion mask (FaceFusion xseg_1, from DeepFaceLab)',
      names: 'positional',
      inputs: [
        {
          name: 'input',
          dtype: 'float32',
          shape: [1, 256, 256, 3],
          layout: 'NHWC',
          range: [0, 1],
          channels: 'BGR',
          meaning:
            'aligned face crop resized to 256, channels last, x / 255 (FaceFusion feeds its BGR frame)',
        },
      ],
      outputs: [
        {
          name: 'output',
          dtype: 'float32',
          shape: [1, 256, 256, 1],
          layout: 'NHWC',
          range: [0, 1],
          meaning: 'probability that the pixel is unoccluded face; callers clip to [0, 1]',
        },
      ],
      license: { name: 'GPL-3.0 (DeepFaceLab XSeg)', url: 'https://github.com/iperov/DeepFaceLab' },
      source: 'facefusion face_masker.py (create_occlusion_mask)',
    },
    {
      id: 'masker/bisenet_region',
      role: 'masker',
      reference: 'BiSeNet face parser (FaceFusion bisenet_resnet_34)',
      names: 'positional',
      inputs: [
        {
          name: 'input',
          dtype: 'float32',
          shape: [1, 3, 512, 512],
          layout: 'NCHW',
          range: [-0.485 / 0.229, (1 - 0.406) / 0.225],
          channels: 'RGB',
          meaning: 'RGB, (x / 255 - mean) / std, mean (0.485, 0.456, 0.406), std (0.229, 0.224, 0.225)',
        },
      ],
      outputs: [
        {
          name: 'output',
          dtype: 'float32',
          shape: [1, 19, 512, 512],
          layout: 'NCHW',
          range: null,
          meaning: 'logits of 19 face-parsing classes; argmax over channels picks the region',
        },
      ],
      license: {
        name: 'MIT (face-parsing.PyTorch)',
        url: 'https://github.com/zllrunning/face-parsing.PyTorch',
      },
      source: 'facefusion face_masker.py (create_region_mask)',
    },
  ],
};

export function findContract(id: string): ModelContract | undefined {
  for (const role of modelRoles) {
    const found = modelContracts[role].find((contract) => contract.id === id);
    if (found) return found;
  }
  return undefined;
}

export const isModelRole = (value: string): value is ModelRole =>
  (modelRoles as readonly string[]).includes(value);

/** One graph input or output as read from a file: `null` or a string for a dynamic dimension. */
export interface TensorInfo {
  name: string;
  dtype: string;
  shape: readonly (number | string | null)[] | null;
}

export interface GraphSignature {
  inputs: readonly TensorInfo[];
  outputs: readonly TensorInfo[];
}

const showShape = (shape: readonly (number | string | null)[]): string =>
  `[${shape.map((d) => (d === null || d === '' ? '?' : String(d))).join(',')}]`;

function checkTensor(kind: string, index: number, found: TensorInfo, want: TensorContract, exact: boolean) {
  const label = `${kind} ${index} '${found.name}'`;
  if (exact && found.name !== want.name)
    return `${kind} ${index} is named '${found.name}', expected '${want.name}'`;
  if (found.dtype !== want.dtype && found.dtype !== 'float16') {
    return `${label} is ${found.dtype}, expected ${want.dtype}`;
  }
  if (!found.shape) return null; // no shape recorded: the file accepts any, checked when it runs
  const mismatch =
    found.shape.length !== want.shape.length ||
    want.shape.some((dim, i) => {
      const got = found.shape?.[i];
      // A numeric contract dim accepts that number or a dynamic dim; a symbolic one accepts anything.
      return typeof dim === 'number' && typeof got === 'number' && got !== dim;
    });
  return mismatch ? `${label} has shape ${showShape(found.shape)}, expected ${showShape(want.shape)}` : null;
}

/** The first way the graph departs from the contract, as one line, or null when it fits. */
export function checkContract(graph: GraphSignature, contract: ModelContract): string | null {
  const exact = contract.names === 'exact';
  for (const [kind, found, want] of [
    ['input', graph.inputs, contract.inputs],
    ['output', graph.outputs, contract.outputs],
  ] as const) {
    if (found.length !== want.length) {
      return `it has ${found.length} ${kind}s, expected ${want.length} (${want.map((t) => t.name).join(', ')})`;
    }
    for (const [i, tensor] of want.entries()) {
      // With exact names, match by name (files may list inputs in any order).
      const got = exact ? (found.find((t) => t.name === tensor.name) ?? found[i]) : found[i];
      const problem = got && checkTensor(kind, i, got, tensor, exact);
      if (problem) return problem;
    }
  }
  return null;
}

/** The role's contract the graph fits, or a one-line reason naming the mismatch. */
export function matchContract(
  role: ModelRole,
  graph: GraphSignature,
): { contract: ModelContract } | { error: string } {
  const problems: string[] = [];
  for (const contract of modelContracts[role]) {
    const problem = checkContract(graph, contract);
    if (problem === null) return { contract };
    problems.push(modelContracts[role].length > 1 ? `${contract.reference}: ${problem}` : problem);
  }
  return { error: `does not fit the ${role} contract: ${problems.join('; ')}` };
}
