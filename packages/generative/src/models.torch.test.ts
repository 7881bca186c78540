/** Fovea models loaded with PyTorch state dicts reproduce PyTorch's outputs (fixtures/gen_models.py). */
import { readFileSync } from 'node:fs';
import * as tf from '@tensorflow/tfjs-core';
import { nchwToNhwc, type StateDict } from '@fovea/core';
import { expectClose, fromJson, type JsonTensor } from '@fovea/test-utils';
import { describe, it } from 'vitest';
import { PixelCNN } from './autoregressive/pixel-cnn.js';
import { MADE } from './flows/made.js';
import { DCGANDiscriminator, DCGANGenerator } from './gan/dcgan.js';
import { VAE } from './vae/vae.js';

type Fx = Record<string, JsonTensor | Record<string, JsonTensor>>;
const fx = JSON.parse(readFileSync(new URL('../fixtures/models.json', import.meta.url), 'utf8')) as Record<string, Fx>;
const T = (t: unknown) => fromJson(t as JsonTensor);
const dict = (d: unknown): StateDict => Object.fromEntries(Object.entries(d as Record<string, JsonTensor>).map(([k, v]) => [k, fromJson(v)]));

describe('PyTorch state dicts', () => {
  it('VAE: encoder, posterior and decoder (images flattened in C, H, W order)', () => {
    const f = fx['vae']!;
    const vae = new VAE({ inputShape: [4, 4, 2], hidden: [12], latentDim: 3 });
    const sd = dict(f['state_dict']);
    vae.loadStateDict(sd);
    tf.tidy(() => {
      const { mu, logvar } = vae.encode(nchwToNhwc(T(f['x'])));
      expectClose(mu, T(f['mu']));
      expectClose(logvar, T(f['logvar']));
      expectClose(vae.decode(mu), nchwToNhwc(T(f['decoded'])));
    });
    tf.dispose(Object.values(sd));
    vae.dispose();
  });

  it('conditional DCGAN generator and projection discriminator (eval mode, running statistics)', () => {
    const f = fx['dcgan']!;
    const G = new DCGANGenerator({ imageShape: [16, 16, 2], latentDim: 5, baseChannels: 4, numClasses: 3 });
    const D = new DCGANDiscriminator({ imageShape: [16, 16, 2], baseChannels: 4, numClasses: 3, conditioning: 'projection' });
    const [gsd, dsd] = [dict(f['g_state_dict']), dict(f['d_state_dict'])];
    G.loadStateDict(gsd);
    D.loadStateDict(dsd);
    G.eval();
    D.eval();
    tf.tidy(() => {
      const labels = T(f['labels']);
      const img = G.forward(T(f['z']), labels);
      expectClose(img, nchwToNhwc(T(f['images'])), { atol: 1e-5 });
      expectClose(D.forward(nchwToNhwc(T(f['images'])), labels), T(f['logits']), { atol: 1e-4 });
    });
    tf.dispose([...Object.values(gsd), ...Object.values(dsd)]);
    G.dispose();
    D.dispose();
  });

  it('PixelCNN: masked convolutions and residual blocks, logits and exact NLL', () => {
    const f = fx['pixelcnn']!;
    const m = new PixelCNN({ levels: 2, hiddenChannels: 8, numLayers: 2, kernelSize: 7 });
    const sd = dict(f['state_dict']);
    m.loadStateDict(sd);
    tf.tidy(() => {
      const x = nchwToNhwc(T(f['x']));
      const want = nchwToNhwc(T(f['logits'])); // [N, H, W, C·K]
      expectClose(m.forward(x), tf.reshape(want, [...want.shape.slice(0, 3), 1, 2]), { atol: 1e-5 });
      expectClose(tf.neg(m.logProb(x)), T(f['nll']), { atol: 1e-4 });
    });
    tf.dispose(Object.values(sd));
    m.dispose();
  });

  it('MADE: weights and masks (output unit d·K + v)', () => {
    const f = fx['made']!;
    const m = new MADE({ inputDim: 5, hidden: [7], levels: 2 });
    const sd = Object.fromEntries(Object.entries(dict(f['state_dict'])).map(([k, v]) => [k.replace(/^(\d)/, 'net.$1'), v]));
    m.loadStateDict(sd);
    tf.tidy(() => expectClose(m.forward(T(f['x'])), T(f['logits'])));
    tf.dispose(Object.values(sd));
    m.dispose();
  });
});
