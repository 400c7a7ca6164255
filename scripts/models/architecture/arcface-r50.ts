/**
 * ArcFace w600k_r50 with random weights: insightface's IResNet-50 at full size (43.6 M float32
 * parameters, 174.4 MB; the real file is about 166 MiB), for benchmarking, never for recognition.
 *
 * Structure (input `input.1` [1,3,112,112], output `683` [1,512]):
 * - stem: Conv 3x3 3->64 (BN folded into its bias), PReLU.
 * - 4 stages of IBasicBlocks, 3-4-14-3 blocks, 64/128/256/512 channels, each stage's first block
 *   with stride 2 (112 -> 56 -> 28 -> 14 -> 7). Block: BN -> Conv 3x3 -> PReLU -> Conv 3x3 (stride)
 *   (BNs after convs folded into conv biases) plus the shortcut (Conv 1x1 stride 2 where the shape
 *   changes, else identity).
 * - head: BN 512, Flatten, Gemm 25088->512 (the features BN1d folded into it).
 *
 * Sources:
 * - https://github.com/deepinsight/insightface/blob/master/recognition/arcface_torch/backbones/iresnet.py
 *   (IBasicBlock, layers [3, 4, 14, 3] for r50, fc 512*7*7 -> 512, BN eps 1e-5)
 * - https://github.com/deepinsight/insightface/blob/master/python-package/insightface/model_zoo/arcface_onnx.py
 *   (input 112x112, mean 127.5, std 127.5)
 * The iresnet.py details above are from memory of that file (not re-read here); the parameter count
 * matches the real file's size. Guessed: which BNs the export folded (the pre-conv BNs stay BatchNormalization nodes here), the
 * residual-branch scale (0.5, so the 24 residual additions keep activations finite), every value.
 */
import { valueInfo } from '../onnx.ts';
import { GraphBuilder, scaled, type ArchitectureGraph } from './layers.ts';

const stages = [
  { blocks: 3, channels: 64 },
  { blocks: 4, channels: 128 },
  { blocks: 14, channels: 256 },
  { blocks: 3, channels: 512 },
];

export function arcfaceR50Graph({ width = 1 } = {}): ArchitectureGraph {
  const g = new GraphBuilder('w600k_r50_architecture', 50);
  const he = Math.SQRT2;
  let channels = scaled(64, width);
  let x = g.prelu(g.conv('input.1', 3, channels, { kernel: 3, gain: he }), channels);
  for (const stage of stages) {
    const planes = scaled(stage.channels, width);
    for (let block = 0; block < stage.blocks; block++) {
      const stride = block === 0 ? 2 : 1;
      let y = g.conv(g.batchNorm(x, channels), channels, planes, { kernel: 3, gain: he });
      y = g.conv(g.prelu(y, planes), planes, planes, { kernel: 3, stride, gain: 0.5 });
      const shortcut = block === 0 ? g.conv(x, channels, planes, { kernel: 1, stride, pad: 0 }) : x;
      x = g.op('Add', [y, shortcut]);
      channels = planes;
    }
  }
  const flat = g.op('Flatten', [g.batchNorm(x, channels)], { axis: 1 });
  g.linear(flat, channels * 7 * 7, 512, 1, '683');
  return g.build([valueInfo('input.1', [1, 3, 112, 112])], [valueInfo('683', [1, 512])]);
}
