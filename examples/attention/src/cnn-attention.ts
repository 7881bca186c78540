/**
 * A small ResNet-style CNN on the mnist package's digits, three times: plain,
 * with squeeze-and-excitation in every residual block (SE-ResNet), and with
 * CBAM in every block. The attention module rescales the residual branch
 * before the addition, as in the SE and CBAM papers. Same seed, data order,
 * augmentation and schedule for all three; test accuracy on the canonical
 * 1,000 test digits.
 *
 *   pnpm --filter @fovea/example-attention cnn      (after `pnpm build`)
 */
import * as tf from '@tensorflow/tfjs-core';
import { DataLoader, Generator, Module, ReLU, Sequential, TensorDataset, crossEntropy, initBackend, loadDigits, randomAffine, relu, type Generator as Gen } from '@fovea/core';
import { AdaptiveAvgPool2d, BasicBlock, BatchNorm2d, Conv2d, Flatten, Linear } from '@fovea/layers';
import { Adam, OneCycleLR, Trainer } from '@fovea/optim';
import { CBAM, SqueezeExcitation } from '@fovea/attention';

const env = (k: string, d: number) => Number(process.env[k] ?? d);
const EPOCHS = env('EPOCHS', 4); // one-cycle over all steps; a small ResNet is near its plateau by then
const BATCH = 64;
const MAX_LR = 3e-3;

type Variant = 'plain' | 'se' | 'cbam';

/** torchvision's BasicBlock with an attention module on the residual branch: `relu(attn(bn2(conv2(…))) + shortcut(x))`. */
class AttentionBlock extends Module<[tf.Tensor], tf.Tensor> {
  readonly block: BasicBlock;
  readonly attention: Module<[tf.Tensor], tf.Tensor> | null;
  constructor(inplanes: number, planes: number, stride: number, variant: Variant, generator: Gen) {
    super();
    this.block = this.registerModule('block', new BasicBlock(inplanes, planes, { stride, generator }));
    const attn = variant === 'se' ? new SqueezeExcitation(planes, Math.max(4, planes / 8), { generator }) : variant === 'cbam' ? new CBAM(planes, { reduction: 8, kernelSize: 7, generator }) : null;
    this.attention = this.registerModule('attention', attn);
  }
  forward(x: tf.Tensor): tf.Tensor {
    const b = this.block;
    return tf.tidy(() => {
      const h = relu(b.bn1.forward(b.conv1.forward(x)));
      const out = b.bn2.forward(b.conv2.forward(h)); // [N, Ho, Wo, planes]
      const identity = b.downsample ? b.downsample.forward(x) : x;
      return relu(tf.add(this.attention ? this.attention.forward(out) : out, identity));
    });
  }
}

/** stem 3×3 (16) → blocks 16, 32 (stride 2), 64 (stride 2) → global average pool → linear 10. Input `[N, 28, 28, 1]`. */
function resnet(variant: Variant, generator: Gen): Sequential {
  return new Sequential(
    new Conv2d(1, 16, 3, { padding: 1, bias: false, generator }), // [N, 28, 28, 16]
    new BatchNorm2d(16),
    new ReLU(),
    new AttentionBlock(16, 16, 1, variant, generator), // [N, 28, 28, 16]
    new AttentionBlock(16, 32, 2, variant, generator), // [N, 14, 14, 32]
    new AttentionBlock(32, 64, 2, variant, generator), // [N, 7, 7, 64]
    new AdaptiveAvgPool2d(1), // [N, 1, 1, 64]
    new Flatten(),
    new Linear(64, 10, { generator }), // [N, 10]
  );
}

const accuracy = (logits: tf.Tensor, y: tf.Tensor) => tf.tidy(() => tf.mean(tf.cast(tf.equal(tf.cast(tf.argMax(logits, -1), 'int32'), y), 'float32')) as tf.Scalar);

async function main(): Promise<void> {
  const info = await initBackend();
  console.log(`ResNet-style CNN with and without attention on the digits — ${info.summary}`);
  const { train, val, test } = await loadDigits();
  const results: string[] = [];
  for (const variant of ['plain', 'se', 'cbam'] as const) {
    const gen = new Generator(0); // same init stream, data order and augmentation for every variant
    const augment = ([x, y]: tf.Tensor[]) => [randomAffine(x!, { degrees: 10, translate: [0.08, 0.08], generator: gen }), y!];
    const loader = new DataLoader(new TensorDataset([train.images, train.labels]), { batchSize: BATCH, shuffle: true, generator: gen, transform: augment });
    const valLoader = new DataLoader(new TensorDataset([val.images, val.labels]), { batchSize: 500 });
    const model = resnet(variant, gen);
    const optimizer = new Adam(model.parameters(), { lr: MAX_LR });
    const scheduler = new OneCycleLR(optimizer, { maxLr: MAX_LR, totalSteps: EPOCHS * loader.length });
    const trainer = new Trainer({ model, optimizer, loss: (p, y) => crossEntropy(p, y) as tf.Scalar, scheduler, metrics: { acc: accuracy }, generators: [gen] });
    console.log(`${variant}: ${model.numParameters().toLocaleString('en')} parameters`);
    const t0 = Date.now();
    const c0 = process.cpuUsage();
    await trainer.fit(loader, { epochs: EPOCHS, validation: valLoader });
    const cpu = process.cpuUsage(c0);
    const res = await trainer.evaluate(new DataLoader(new TensorDataset([test.images, test.labels]), { batchSize: 500 }));
    const line = `${variant.padEnd(5)}: test accuracy ${(100 * res['acc']!).toFixed(2)} % (test loss ${res['loss']!.toFixed(4)}), ${model.numParameters().toLocaleString('en')} parameters, ${((Date.now() - t0) / 1000).toFixed(0)} s (CPU ${((cpu.user + cpu.system) / 1e6).toFixed(0)} s)`;
    console.log(line);
    results.push(line);
    trainer.dispose();
    optimizer.dispose();
    model.dispose();
  }
  console.log(`\nsummary (${EPOCHS} epochs each, 1,000 test digits):\n${results.join('\n')}`);
  tf.dispose([train.images, train.labels, val.images, val.labels, test.images, test.labels]);
}

await main();
