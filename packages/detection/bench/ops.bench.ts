/**
 * Detection ops against torchvision.ops: NMS (10k boxes), class-aware NMS
 * (80 classes), the IoU matrix (2000 × 2000), RoIAlign / RoIPool forward
 * (512 rois on a 50×50×256 map). Both sides draw the same data from one
 * integer LCG (see `lcg` and `PY_LCG`), so they time identical problems.
 */
import * as tf from '@tensorflow/tfjs-core';
import { batchedNms, boxIou, nms, roiAlign, roiPool, softNms } from '@fovea/detection';
import type { BenchSuite } from '../../../tools/bench/src/types.js';

/** `n` uniforms in [0, 1) from a 32-bit LCG (Numerical Recipes constants). */
function lcg(seed: number, n: number): Float64Array {
  const out = new Float64Array(n);
  let s = seed >>> 0;
  for (let i = 0; i < n; i++) {
    s = (Math.imul(1664525, s) + 1013904223) >>> 0;
    out[i] = s / 4294967296;
  }
  return out;
}

/** The same generator in Python, for the torch twins. */
const PY_LCG = `
def lcg(seed, n):
    out = np.empty(n, np.float64); s = seed
    for i in range(n):
        s = (1664525 * s + 1013904223) % 4294967296
        out[i] = s / 4294967296
    return out
def rand_boxes(seed, n, span, lo, hi):
    u = lcg(seed, 4 * n).reshape(n, 4)
    xy = u[:, :2] * span; wh = lo + u[:, 2:] * (hi - lo)
    return torch.tensor(np.concatenate([xy, xy + wh], 1), dtype=torch.float32)
`;

/** `[n, 4]` boxes: corners uniform in `[0, span)`, sides uniform in `[lo, hi)`. */
function randBoxes(seed: number, n: number, span: number, lo: number, hi: number): tf.Tensor2D {
  const u = lcg(seed, 4 * n);
  const d = new Float32Array(4 * n);
  for (let i = 0; i < n; i++) {
    const x = u[4 * i]! * span;
    const y = u[4 * i + 1]! * span;
    d.set([x, y, x + lo + u[4 * i + 2]! * (hi - lo), y + lo + u[4 * i + 3]! * (hi - lo)], 4 * i);
  }
  return tf.tensor2d(d, [n, 4]);
}

/**
 * Waits for `t` to be computed without copying it back (torch leaves its
 * result in memory too), then disposes it. On CPU/WASM the kernels have run
 * when the op returns; on WebGPU one element is read, which waits for the queue.
 */
async function finish(t: tf.Tensor): Promise<void> {
  if (tf.getBackend() === 'webgpu' && t.size > 0) {
    const one = tf.slice(tf.reshape(t, [-1]), 0, 1);
    await one.data();
    one.dispose();
  }
  t.dispose();
}

function scoresOf(seed: number, n: number): tf.Tensor1D {
  return tf.tensor1d(Float32Array.from(lcg(seed, n)));
}

const PY_ROIS = `
x = torch.tensor(lcg(5, 256 * 50 * 50).reshape(1, 50, 50, 256), dtype=torch.float32).permute(0, 3, 1, 2).contiguous()
b = rand_boxes(6, 512, 600, 16, 200)
rois = torch.cat([torch.zeros(512, 1), b], 1)
`;

function roiInputs(): { x: tf.Tensor4D; rois: tf.Tensor2D } {
  const x = tf.tensor4d(Float32Array.from(lcg(5, 256 * 50 * 50)), [1, 50, 50, 256]); // NHWC
  const rois = tf.tidy(() => tf.concat([tf.zeros([512, 1]), randBoxes(6, 512, 600, 16, 200)], 1)) as tf.Tensor2D;
  return { x, rois };
}

const suite: BenchSuite = {
  package: 'detection',
  cases: [
    {
      op: 'nms',
      shape: '10000 boxes (sides 16-128 in 1000x1000), iou 0.5',
      setup: () => {
        const boxes = randBoxes(1, 10000, 1000, 16, 128);
        const scores = scoresOf(2, 10000);
        return {
          run: async () => (await nms(boxes, scores, 0.5)).dispose(),
          dispose: () => tf.dispose([boxes, scores]),
        };
      },
      torch: {
        label: 'torchvision.ops.nms',
        setup: `${PY_LCG}\nb = rand_boxes(1, 10000, 1000, 16, 128)\ns = torch.tensor(lcg(2, 10000), dtype=torch.float32)`,
        run: 'k = torchvision.ops.nms(b, s, 0.5)',
      },
    },
    {
      op: 'batched_nms',
      shape: '10000 boxes, 80 classes, iou 0.5',
      setup: () => {
        const boxes = randBoxes(1, 10000, 1000, 16, 128);
        const scores = scoresOf(2, 10000);
        const idxs = tf.tensor1d(Int32Array.from(lcg(3, 10000), (u) => Math.floor(u * 80)), 'int32');
        return {
          run: async () => (await batchedNms(boxes, scores, idxs, 0.5)).dispose(),
          dispose: () => tf.dispose([boxes, scores, idxs]),
        };
      },
      torch: {
        label: 'torchvision.ops.batched_nms',
        setup: `${PY_LCG}\nb = rand_boxes(1, 10000, 1000, 16, 128)\ns = torch.tensor(lcg(2, 10000), dtype=torch.float32)\nc = torch.tensor(np.floor(lcg(3, 10000) * 80), dtype=torch.int64)`,
        run: 'k = torchvision.ops.batched_nms(b, s, c, 0.5)',
      },
    },
    {
      op: 'soft_nms',
      shape: '2000 boxes, gaussian sigma 0.5',
      setup: () => {
        const boxes = randBoxes(1, 2000, 1000, 16, 128);
        const scores = scoresOf(2, 2000);
        return {
          run: async () => {
            const r = await softNms(boxes, scores);
            tf.dispose([r.keep, r.scores]);
          },
          dispose: () => tf.dispose([boxes, scores]),
        };
      },
    },
    {
      op: 'box_iou',
      shape: '2000 x 2000',
      setup: () => {
        const a = randBoxes(1, 2000, 500, 8, 200);
        const b = randBoxes(4, 2000, 500, 8, 200);
        return {
          run: () => finish(boxIou(a, b)),
          dispose: () => tf.dispose([a, b]),
        };
      },
      torch: {
        label: 'torchvision.ops.box_iou',
        setup: `${PY_LCG}\na = rand_boxes(1, 2000, 500, 8, 200)\nb = rand_boxes(4, 2000, 500, 8, 200)`,
        run: 'm = torchvision.ops.box_iou(a, b)',
      },
    },
    {
      op: 'generalized_box_iou',
      shape: '2000 x 2000',
      setup: () => {
        const a = randBoxes(1, 2000, 500, 8, 200);
        const b = randBoxes(4, 2000, 500, 8, 200);
        return {
          run: () => finish(boxIou(a, b, { kind: 'giou' })),
          dispose: () => tf.dispose([a, b]),
        };
      },
      torch: {
        label: 'torchvision.ops.generalized_box_iou',
        setup: `${PY_LCG}\na = rand_boxes(1, 2000, 500, 8, 200)\nb = rand_boxes(4, 2000, 500, 8, 200)`,
        run: 'm = torchvision.ops.generalized_box_iou(a, b)',
      },
    },
    {
      op: 'roi_align forward',
      shape: '1x256x50x50, 512 rois, 7x7, scale 1/16, sampling 2',
      setup: () => {
        const { x, rois } = roiInputs();
        return {
          run: () => finish(roiAlign(x, rois, { outputSize: 7, spatialScale: 1 / 16, samplingRatio: 2 })),
          dispose: () => tf.dispose([x, rois]),
        };
      },
      torch: {
        label: 'torchvision.ops.roi_align (NCHW)',
        setup: `${PY_LCG}\n${PY_ROIS}`,
        run: 'y = torchvision.ops.roi_align(x, rois, (7, 7), 1 / 16, 2, False)',
      },
    },
    {
      op: 'roi_align forward',
      shape: '1x256x50x50, 512 rois, 7x7, scale 1/16, adaptive sampling, aligned',
      setup: () => {
        const { x, rois } = roiInputs();
        return {
          run: () => finish(roiAlign(x, rois, { outputSize: 7, spatialScale: 1 / 16, samplingRatio: -1, aligned: true })),
          dispose: () => tf.dispose([x, rois]),
        };
      },
      torch: {
        label: 'torchvision.ops.roi_align (NCHW)',
        setup: `${PY_LCG}\n${PY_ROIS}`,
        run: 'y = torchvision.ops.roi_align(x, rois, (7, 7), 1 / 16, -1, True)',
      },
    },
    {
      op: 'roi_align forward+backward',
      shape: '1x256x50x50, 512 rois, 7x7, scale 1/16, sampling 2',
      setup: () => {
        const { x, rois } = roiInputs();
        const gradOf = tf.grad((v: tf.Tensor) => tf.sum(roiAlign(v, rois, { outputSize: 7, spatialScale: 1 / 16, samplingRatio: 2 })));
        return {
          run: () => finish(gradOf(x)),
          dispose: () => tf.dispose([x, rois]),
        };
      },
      torch: {
        label: 'torchvision.ops.roi_align + backward (NCHW)',
        setup: `${PY_LCG}\n${PY_ROIS}\nx.requires_grad_(True)`,
        run: 'x.grad = None\ny = torchvision.ops.roi_align(x, rois, (7, 7), 1 / 16, 2, False)\ny.sum().backward()',
      },
    },
    {
      op: 'roi_pool forward',
      shape: '1x256x50x50, 512 rois, 7x7, scale 1/16',
      setup: () => {
        const { x, rois } = roiInputs();
        return {
          run: () => finish(roiPool(x, rois, { outputSize: 7, spatialScale: 1 / 16 })),
          dispose: () => tf.dispose([x, rois]),
        };
      },
      torch: {
        label: 'torchvision.ops.roi_pool (NCHW)',
        setup: `${PY_LCG}\n${PY_ROIS}`,
        run: 'y = torchvision.ops.roi_pool(x, rois, (7, 7), 1 / 16)',
      },
    },
  ],
};

export default suite;
