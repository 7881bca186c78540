import { backend_util, util } from '@tensorflow/tfjs-core';
import type { EinsumAttrs, KernelFunc, TensorInfo } from '@tensorflow/tfjs-core';
import { tensorIO } from './backend_io.js';
import { callKernel } from './registry.js';

/**
 * Einsum for a backend without one (wasm): tfjs-backend-cpu's algorithm
 * (transpose, reshape, multiply, sum) run with the backend's own kernels.
 */
export function makeEinsum(backendName: 'wasm' | 'cpu'): KernelFunc {
  return (args) => {
    const tensors = Object.values(args.inputs) as TensorInfo[];
    const { equation } = args.attrs as unknown as EinsumAttrs;
    const be = args.backend;
    const io = tensorIO(backendName, be);
    const { allDims, summedDims, idDims } = backend_util.decodeEinsumEquation(equation, tensors.length);
    backend_util.checkEinsumDimSizes(allDims.length, idDims, tensors as never);
    const { path, steps } = backend_util.getEinsumComputePath(summedDims, idDims);
    let out: TensorInfo | null = null;
    let remaining = allDims.length;
    const temps: TensorInfo[] = [];
    for (let i = 0; i < steps.length; ++i) {
      for (const idTerm of steps[i]!) {
        const { permutationIndices: perm, expandDims } = backend_util.getEinsumPermutation(remaining, idDims[idTerm]!);
        let x = tensors[idTerm]!;
        if (!backend_util.isIdentityPermutation(perm)) {
          x = callKernel('Transpose', backendName, be, { x }, { perm });
          temps.push(x);
        }
        const target = x.shape.slice();
        for (const d of expandDims) target.splice(d, 0, 1);
        if (!util.arraysEqual(x.shape, target)) {
          x = callKernel('Reshape', backendName, be, { x }, { shape: target });
          temps.push(x);
        }
        if (out === null) out = x;
        else {
          out = callKernel('Multiply', backendName, be, { a: x, b: out });
          temps.push(out);
        }
      }
      if (i < steps.length - 1) {
        if (path[i]! >= 0) {
          out = callKernel('Sum', backendName, be, { x: out! }, { axis: path[i]! - (allDims.length - remaining), keepDims: false });
          temps.push(out);
        }
        remaining--;
      }
    }
    for (const t of temps) if (t !== out) io.dispose(t);
    if (out === null) throw new Error('Fovea kernels: empty einsum');
    // An input returned unchanged must not be handed back as a new output.
    if (tensors.includes(out)) out = callKernel('Identity', backendName, be, { x: out });
    return out;
  };
}
