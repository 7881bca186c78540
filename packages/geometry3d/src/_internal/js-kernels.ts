/**
 * Private nearest-neighbour kernels in plain JavaScript for the CPU-memory
 * backends (wasm, cpu): an exact brute-force search in float64 arithmetic that
 * streams over the points without materialising any distance matrix, about
 * 5–10× faster than the tiled matrix-product search there. They are
 * registered lazily under Fovea-private names on the first call, so importing
 * the package has no side effects; WebGPU keeps the tiled tensor-op search.
 */
import * as tf from '@tensorflow/tfjs-core';
import { isJsKernelBackend, runJsKernel } from '@fovea/core';

type Arr = Float32Array | Int32Array;

const KNN = 'FoveaGeometry3dKnn';
const BOTH = 'FoveaGeometry3dNearestBoth';

/** Whether the JS kernels serve the active backend. */
export function jsKernelsAvailable(): boolean {
  return isJsKernelBackend(tf.getBackend());
}

/** Runs `body` on the inputs' data (read in place, core's runJsKernel) with zeroed int32 outputs of the given shapes. */
function run(backend: unknown, inputs: tf.TensorInfo[], outShapes: number[][], body: (ins: Arr[], outs: Int32Array[]) => void): tf.TensorInfo[] {
  const outputs = outShapes.map((shape) => ({ shape, dtype: 'int32' as const }));
  return runJsKernel(backend as object, inputs, outputs, (ins, outs) => body(ins as Arr[], outs as Int32Array[]));
}

function dist(a: Arr, ao: number, b: Arr, bo: number, D: number, norm: number): number {
  let s = 0;
  if (norm === 2) {
    for (let k = 0; k < D; k++) {
      const t = a[ao + k]! - b[bo + k]!;
      s += t * t;
    }
  } else for (let k = 0; k < D; k++) s += Math.abs(a[ao + k]! - b[bo + k]!);
  return s;
}

const knnKernel: tf.KernelFunc = ({ inputs, backend, attrs }) => {
  const { p1, p2, lengths2 } = inputs as Record<string, tf.TensorInfo>;
  const [B, P1, D] = p1!.shape as [number, number, number];
  const P2 = p2!.shape[1]!;
  const K = (attrs as { K: number }).K;
  const norm = (attrs as { norm: number }).norm;
  return run(backend, [p1!, p2!, lengths2!], [[B, P1, K]], ([a, b, len], [out]) => {
    const fast = norm === 2 && D === 3;
    const best = new Float64Array(K);
    const arg = new Int32Array(K);
    for (let n = 0; n < B; n++) {
      const L = Math.min(len![n]!, P2);
      for (let i = 0; i < P1; i++) {
        best.fill(Infinity);
        arg.fill(0);
        const ao = (n * P1 + i) * D;
        const x0 = a![ao]!;
        const x1 = a![ao + 1] ?? 0;
        const x2 = a![ao + 2] ?? 0;
        const bo = n * P2 * D;
        for (let j = 0; j < L; j++) {
          let d: number;
          if (fast) {
            const t0 = x0 - b![bo + 3 * j]!;
            const t1 = x1 - b![bo + 3 * j + 1]!;
            const t2 = x2 - b![bo + 3 * j + 2]!;
            d = t0 * t0 + t1 * t1 + t2 * t2;
          } else d = dist(a!, ao, b!, bo + j * D, D, norm);
          if (!(d < best[K - 1]!)) continue;
          let p = K - 1; // insertion after equal distances keeps the lower index first
          while (p > 0 && best[p - 1]! > d) {
            best[p] = best[p - 1]!;
            arg[p] = arg[p - 1]!;
            p--;
          }
          best[p] = d;
          arg[p] = j;
        }
        out!.set(arg, (n * P1 + i) * K);
      }
    }
  })[0]!;
};

const bothKernel: tf.KernelFunc = ({ inputs, backend, attrs }) => {
  const { x, y, lengthsX, lengthsY } = inputs as Record<string, tf.TensorInfo>;
  const [B, P1, D] = x!.shape as [number, number, number];
  const P2 = y!.shape[1]!;
  const norm = (attrs as { norm: number }).norm;
  return run(backend, [x!, y!, lengthsX!, lengthsY!], [[B, P1, 1], [B, P2, 1]], ([a, b, la, lb], [ix, iy]) => {
    const colBest = new Float64Array(P2);
    const fast = norm === 2 && D === 3;
    for (let n = 0; n < B; n++) {
      const L1 = Math.min(la![n]!, P1);
      const L2 = Math.min(lb![n]!, P2);
      const bo = n * P2 * D;
      colBest.fill(Infinity);
      for (let i = 0; i < L1; i++) {
        const ao = (n * P1 + i) * D;
        const x0 = a![ao]!;
        const x1 = a![ao + 1] ?? 0;
        const x2 = a![ao + 2] ?? 0;
        let best = Infinity;
        let bi = 0;
        for (let j = 0; j < L2; j++) {
          let d: number;
          if (fast) {
            const t0 = x0 - b![bo + 3 * j]!;
            const t1 = x1 - b![bo + 3 * j + 1]!;
            const t2 = x2 - b![bo + 3 * j + 2]!;
            d = t0 * t0 + t1 * t1 + t2 * t2;
          } else d = dist(a!, ao, b!, bo + j * D, D, norm);
          if (d < best) {
            best = d;
            bi = j;
          }
          if (d < colBest[j]!) {
            colBest[j] = d;
            iy![n * P2 + j] = i;
          }
        }
        ix![n * P1 + i] = bi;
      }
    }
  });
};

function ensure(name: string, kernelFunc: tf.KernelFunc): void {
  const backendName = tf.getBackend();
  if (tf.getKernel(name, backendName) === undefined) tf.registerKernel({ kernelName: name, backendName, kernelFunc });
}

/** int32 `[B, P1, K]`: the K nearest points of `p2` (among the first `lengths2[b]`), nearest first; ties to the lower index. */
export function jsKnn(p1: tf.Tensor, p2: tf.Tensor, lengths2: tf.Tensor, K: number, norm: 1 | 2): tf.Tensor {
  ensure(KNN, knnKernel);
  return tf.engine().runKernel(KNN, { p1, p2, lengths2 }, { K, norm } as unknown as tf.NamedAttrMap) as tf.Tensor;
}

/** Nearest neighbours both ways in one pass: int32 `[B, P1, 1]` (x → y) and `[B, P2, 1]` (y → x). */
export function jsNearestBoth(x: tf.Tensor, y: tf.Tensor, lengthsX: tf.Tensor, lengthsY: tf.Tensor, norm: 1 | 2): [tf.Tensor, tf.Tensor] {
  ensure(BOTH, bothKernel);
  return tf.engine().runKernel(BOTH, { x, y, lengthsX, lengthsY }, { norm } as unknown as tf.NamedAttrMap) as unknown as [tf.Tensor, tf.Tensor];
}
