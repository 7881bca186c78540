/**
 * The benchmarks, each against the same computation in PyTorch:
 * - multi-head self-attention forward + backward (input and all parameter
 *   gradients), batch 8, 197 tokens, width 192, 3 heads (ViT-Tiny's
 *   attention at 224×224), no attention weights returned;
 * - one training step of ViT-Tiny/16 (torchvision's VisionTransformer: 224×224
 *   RGB, 16×16 patches, width 192, 12 blocks × 3 heads, MLP 768, 1000 classes)
 *   on a batch of 8: forward, cross-entropy, backward, AdamW.
 */
import * as tf from '@tensorflow/tfjs-core';
import { Generator, crossEntropy, randint, randn } from '@fovea/core';
import { AdamW } from '@fovea/optim';
import { MultiheadAttention, VisionTransformer } from '@fovea/attention';
import type { BenchSuite } from '../../../tools/bench/src/types.js';

const g = new Generator(0);

const suite: BenchSuite = {
  package: 'attention',
  cases: [
    {
      op: 'mha-self-attention fwd+bwd',
      shape: 'B8 T197 E192 nh3',
      runs: 15,
      warmup: 3,
      setup: () => {
        const mha = new MultiheadAttention(192, 3, { generator: g });
        const x = randn([8, 197, 192], { generator: g });
        const seed = randn([8, 197, 192], { generator: g });
        const xv = tf.variable(x, true);
        return {
          run: async () => {
            const { value, grads } = tf.variableGrads(() => tf.sum(tf.mul(mha.forward(xv, xv, xv, { needWeights: false }).output, seed)) as tf.Scalar, [xv, ...mha.parameters()]);
            await Promise.all(Object.values(grads).map((t) => t.data()));
            tf.dispose([value, ...Object.values(grads)]);
          },
          dispose: () => {
            mha.dispose();
            tf.dispose([x, seed, xv]);
          },
        };
      },
      torch: {
        label: 'nn.MultiheadAttention(batch_first=True), need_weights=False, backward to input and weights',
        setup: [
          'torch.manual_seed(0)',
          'mha = torch.nn.MultiheadAttention(192, 3, batch_first=True)',
          'x = torch.randn(8, 197, 192, requires_grad=True); seed = torch.randn(8, 197, 192)',
        ].join('\n'),
        run: 'mha.zero_grad(); x.grad = None; y, _ = mha(x, x, x, need_weights=False); y.backward(seed)',
      },
    },
    {
      op: 'vit-tiny train step',
      shape: 'B8 224x224x3, patch 16, E192, 12 blocks x 3 heads, MLP 768, AdamW',
      backends: ['wasm', 'webgpu'], // the cpu backend takes minutes per step (155 s measured on 22 Nov): not a useful row
      runs: 5,
      warmup: 2,
      setup: () => {
        const vit = new VisionTransformer({ imageSize: 224, patchSize: 16, numLayers: 12, numHeads: 3, hiddenDim: 192, mlpDim: 768, numClasses: 1000, generator: g });
        const opt = new AdamW(vit.parameters(), { lr: 1e-3, weightDecay: 0.05 });
        const x = randn([8, 224, 224, 3], { generator: g }); // NHWC
        const y = randint(0, 1000, [8], { generator: g });
        return {
          run: async () => {
            const { value, grads } = tf.variableGrads(() => crossEntropy(vit.forward(x), y) as tf.Scalar);
            opt.step(grads);
            await value.data();
            tf.dispose([value, ...Object.values(grads)]);
          },
          dispose: () => {
            opt.dispose();
            vit.dispose();
            tf.dispose([x, y]);
          },
        };
      },
      torch: {
        label: 'torchvision VisionTransformer (ViT-Ti/16) + F.cross_entropy + torch.optim.AdamW (NCHW)',
        setup: [
          'from torchvision.models.vision_transformer import VisionTransformer',
          'torch.manual_seed(0)',
          'vit = VisionTransformer(image_size=224, patch_size=16, num_layers=12, num_heads=3, hidden_dim=192, mlp_dim=768, num_classes=1000)',
          'opt = torch.optim.AdamW(vit.parameters(), lr=1e-3, weight_decay=0.05)',
          'x = torch.randn(8, 3, 224, 224); y = torch.randint(0, 1000, (8,))',
        ].join('\n'),
        run: 'opt.zero_grad(); loss = torch.nn.functional.cross_entropy(vit(x), y); loss.backward(); opt.step()',
      },
    },
  ],
};

export default suite;
