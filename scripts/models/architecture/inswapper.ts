/**
 * inswapper_128 with random weights: the published layer structure at full size (138.55 M float32
 * parameters, 554.2 MB; the real file is 554,253,681 bytes), for benchmarking, never for swapping.
 *
 * Structure (NCHW, `target` [1,3,128,128] in [0,1], `source` [1,512] the emap-projected latent):
 * - encoder: ReflectPad 3 + Conv 7x7 3->128, LeakyReLU 0.2; Conv 3x3 128->256; Conv 3x3 s2 256->512
 *   (64x64); Conv 3x3 s2 512->1024 (32x32); LeakyReLU 0.2 after each.
 * - 6 style blocks at 1024x32x32, each x + B(x) with B = Conv 3x3 -> AdaIN -> ReLU -> Conv 3x3 ->
 *   AdaIN; AdaIN(y) = gamma * InstanceNorm(y) + beta, (gamma, beta) = split(Gemm(source) 512->2048):
 *   12 Gemms from the 512-d latent, one per AdaIN.
 * - decoder: bilinear 2x up, Conv 3x3 1024->512, LeakyReLU; 2x up, Conv 3x3 512->256, LeakyReLU;
 *   Conv 3x3 256->128, LeakyReLU; ReflectPad 3 + Conv 7x7 128->3; Tanh; output = (y + 1) / 2.
 * - a final 512x512 initializer, unused by the graph: the emap (insightface inswapper.py reads
 *   `graph.initializer[-1]`).
 *
 * Sources:
 * - https://github.com/somanchiu/ReSwapper/blob/main/StyleTransferModel_128.py (a reimplementation
 *   trained to match inswapper_128's layers: the encoder, style blocks, AdaIN and decoder above)
 * - https://github.com/andreYoo/Inswapper128_pytorch_unofficial (a PyTorch port whose README reports
 *   outputs matching inswapper_128.onnx; only its README was read)
 * - https://github.com/deepinsight/insightface/blob/master/python-package/insightface/model_zoo/inswapper.py
 *   (inputs, output, emap = last initializer)
 * Guessed: InstanceNormalization as one ONNX op sharing one scale/bias pair (the real export may
 * spell it with ReduceMean/Sub/Div), zero padding in the 3x3 convs, and every initial value.
 */
import { valueInfo } from '../onnx.ts';
import { GraphBuilder, scaled, type ArchitectureGraph } from './layers.ts';

/** He gain for LeakyReLU(0.2). */
const leakyGain = Math.sqrt(2 / (1 + 0.2 ** 2));

export function inswapperGraph({ width = 1 } = {}): ArchitectureGraph {
  const g = new GraphBuilder('inswapper_128_architecture', 128);
  const c = (channels: number) => scaled(channels, width);
  const down = (x: string, cin: number, cout: number, stride: number) =>
    g.leakyRelu(g.conv(x, cin, cout, { kernel: 3, stride, gain: leakyGain }));

  let x = g.leakyRelu(g.conv(g.reflectPad('target', 3), 3, c(128), { kernel: 7, pad: 0, gain: leakyGain }));
  x = down(x, c(128), c(256), 1);
  x = down(x, c(256), c(512), 2);
  x = down(x, c(512), c(1024), 2);

  const ch = c(1024);
  const normScale = g.float('in_scale', [ch], 0, 1);
  const normBias = g.float('in_bias', [ch], 0, 0);
  const styleShape = g.int64('style_shape', [1, 2 * ch, 1, 1]);
  const split = g.int64('style_split', [ch, ch]);
  const adain = (y: string) => {
    const norm = g.op('InstanceNormalization', [y, normScale, normBias], { epsilon: 1e-6 }, ['epsilon']);
    // The latent is unit-norm: gain sqrt(512) gives gamma and beta of about unit spread.
    const style = g.op('Reshape', [g.linear('source', 512, 2 * ch, Math.sqrt(512)), styleShape]);
    const [gamma, beta] = [g.fresh('gamma'), g.fresh('beta')];
    g.op('Split', [style, split], { axis: 1 }, [], [gamma, beta]);
    return g.op('Add', [g.op('Mul', [norm, gamma]), beta]);
  };
  for (let block = 0; block < 6; block++) {
    const y = g.relu(adain(g.conv(x, ch, ch, { kernel: 3 })));
    x = g.op('Add', [adain(g.conv(y, ch, ch, { kernel: 3 })), x]);
  }

  x = g.leakyRelu(g.conv(g.upsample2x(x), ch, c(512), { kernel: 3, gain: leakyGain }));
  x = g.leakyRelu(g.conv(g.upsample2x(x), c(512), c(256), { kernel: 3, gain: leakyGain }));
  x = g.leakyRelu(g.conv(x, c(256), c(128), { kernel: 3, gain: leakyGain }));
  x = g.op('Tanh', [g.conv(g.reflectPad(x, 3), c(128), 3, { kernel: 7, pad: 0 })]);
  const plusOne = g.op('Add', [x, g.float('one', [], 0, 1)]);
  g.op('Div', [plusOne, g.float('two', [], 0, 2)], {}, [], ['output']);

  g.weight('emap', [512, 512], 512); // last initializer, as in inswapper_128
  return g.build(
    [valueInfo('target', [1, 3, 128, 128]), valueInfo('source', [1, 512])],
    [valueInfo('output', [1, 3, 128, 128])],
  );
}
