/**
 * SCRFD det_10g with random weights: the scrfd_10g_bnkps structure at full size (about 4.2 M float32
 * parameters, 16.9 MB like the real file), for benchmarking, never for detection.
 *
 * Structure (input `input.1` [1,3,640,640]; BNs folded into conv biases):
 * - backbone ResNetV1e, BasicBlocks (3, 4, 2, 3), planes 56/88/88/224, base 56: deep stem
 *   Conv 3x3 s2 3->28, Conv 3x3 28->28, Conv 3x3 28->56 (ReLU each), MaxPool 3x3 s2; stage strides
 *   1/2/2/2 (feature strides 4/8/16/32); shortcuts that change shape are AvgPool 2x2 + Conv 1x1.
 * - neck PAFPN from stage 2 on (strides 8/16/32), 56 channels: Conv 1x1 laterals, nearest 2x
 *   top-down sums, Conv 3x3 per level, bottom-up Conv 3x3 s2 sums, Conv 3x3 on levels 16 and 32.
 * - head per stride (not shared across strides): 3 stacked Conv 3x3 (56->80->80->80) with ReLU,
 *   then Conv 3x3 heads for 2 anchors: score 80->2 (Sigmoid), box 80->8 (times a learned scale),
 *   points 80->20; each transposed to NHWC and reshaped to rows (row, col, anchor).
 * - outputs in det_10g's order: scores 8/16/32, boxes 8/16/32, points 8/16/32.
 *
 * Sources:
 * - https://github.com/deepinsight/insightface/blob/master/detection/scrfd/configs/scrfd/scrfd_10g_bnkps.py
 *   (stage_blocks, stage_planes, base_channels, PAFPN out 56, head feat 80, stacked 3, 2 anchors)
 * - https://github.com/deepinsight/insightface/tree/master/detection/scrfd/mmdet/models
 *   (ResNetV1e deep stem and avg-pool shortcut, PAFPN, SCRFDHead with cls_reg_share)
 * - https://github.com/deepinsight/insightface/blob/master/python-package/insightface/model_zoo/scrfd.py
 *   (output order, fmc 3, 2 anchors, rows per stride)
 * Guessed: the backbone numbers were read (a reimplementation quoting the config); the neck width 56,
 * head width 80 and 3 stacked convs are from memory of the config, consistent with the real file's
 * size (16.9 MB) but not re-read; the box scale is one scalar per stride; every initial value.
 */
import { valueInfo } from '../onnx.ts';
import { GraphBuilder, scaled, type ArchitectureGraph } from './layers.ts';

const strides = [8, 16, 32];
const outputNames = { score: ['448', '471', '494'], bbox: ['451', '474', '497'], kps: ['454', '477', '500'] };
const he = Math.SQRT2;

export function scrfd10gGraph({ width = 1 } = {}): ArchitectureGraph {
  const g = new GraphBuilder('det_10g_architecture', 10);
  const c = (channels: number) => scaled(channels, width);
  const convRelu = (x: string, cin: number, cout: number, stride = 1) =>
    g.relu(g.conv(x, cin, cout, { kernel: 3, stride, gain: he }));

  let x = convRelu('input.1', 3, c(28), 2);
  x = convRelu(x, c(28), c(28));
  x = convRelu(x, c(28), c(56));
  x = g.op('MaxPool', [x], { kernel_shape: [3, 3], strides: [2, 2], pads: [1, 1, 1, 1] });

  const features: { x: string; channels: number }[] = [];
  let channels = c(56);
  for (const [index, stage] of [
    { blocks: 3, planes: 56 },
    { blocks: 4, planes: 88 },
    { blocks: 2, planes: 88 },
    { blocks: 3, planes: 224 },
  ].entries()) {
    const planes = c(stage.planes);
    for (let block = 0; block < stage.blocks; block++) {
      const stride = block === 0 && index > 0 ? 2 : 1;
      const y = g.conv(convRelu(x, channels, planes, stride), planes, planes, { kernel: 3, gain: 0.5 });
      let shortcut = x;
      if (stride === 2 || channels !== planes) {
        const pooled = g.op('AveragePool', [x], { kernel_shape: [2, 2], strides: [2, 2], ceil_mode: 1 });
        shortcut = g.conv(pooled, channels, planes, { kernel: 1, pad: 0 });
      }
      x = g.relu(g.op('Add', [y, shortcut]));
      channels = planes;
    }
    features.push({ x, channels });
  }

  const neck = c(56);
  const laterals = features.slice(1).map((f) => g.conv(f.x, f.channels, neck, { kernel: 1, pad: 0 }));
  for (let i = laterals.length - 1; i > 0; i--) {
    laterals[i - 1] = g.op('Add', [laterals[i - 1]!, g.upsample2x(laterals[i]!, 'nearest')]);
  }
  const inter = laterals.map((l) => g.conv(l, neck, neck, { kernel: 3 }));
  for (let i = 0; i < inter.length - 1; i++) {
    inter[i + 1] = g.op('Add', [inter[i + 1]!, g.conv(inter[i]!, neck, neck, { kernel: 3, stride: 2 })]);
  }
  const levels = inter.map((l, i) => (i === 0 ? l : g.conv(l, neck, neck, { kernel: 3 })));

  const feat = c(80);
  const rows = (what: string, columns: number) => g.int64(`${what}_rows`, [-1, columns]);
  const toRows = (y: string, shape: string, output: string) =>
    g.op('Reshape', [g.op('Transpose', [y], { perm: [0, 2, 3, 1] }), shape], {}, [], [output]);
  const towers = levels.map((level) =>
    convRelu(convRelu(convRelu(level, neck, feat), feat, feat), feat, feat),
  );
  const shapes = { score: rows('score', 1), bbox: rows('bbox', 4), kps: rows('kps', 10) };
  towers.forEach((y, i) => {
    toRows(g.op('Sigmoid', [g.conv(y, feat, 2, { kernel: 3 })]), shapes.score, outputNames.score[i]!);
  });
  towers.forEach((y, i) => {
    const box = g.op('Mul', [g.conv(y, feat, 8, { kernel: 3 }), g.float('bbox_scale', [], 0, 1)]);
    toRows(box, shapes.bbox, outputNames.bbox[i]!);
  });
  towers.forEach((y, i) => toRows(g.conv(y, feat, 20, { kernel: 3 }), shapes.kps, outputNames.kps[i]!));

  const outputs = (['score', 'bbox', 'kps'] as const).flatMap((kind) =>
    strides.map((stride, i) =>
      valueInfo(outputNames[kind][i]!, [(640 / stride) ** 2 * 2, { score: 1, bbox: 4, kps: 10 }[kind]]),
    ),
  );
  return g.build([valueInfo('input.1', [1, 3, 640, 640])], outputs);
}
