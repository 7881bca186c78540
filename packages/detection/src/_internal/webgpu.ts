/**
 * Private WebGPU plumbing: a minimal `WebGPUProgram` (the interface of
 * `@tensorflow/tfjs-backend-webgpu`, duck-typed so this package does not
 * depend on that backend) for flat one-thread-per-element WGSL kernels.
 */
import type * as tf from '@tensorflow/tfjs-core';

/** A uniform value as the WebGPU backend takes it. */
export interface Uniform {
  type: 'float32' | 'int32';
  data: number[];
}

/** The part of tfjs-backend-webgpu's backend that Fovea's programs use. */
export interface WebGPUBackendLike {
  runWebGPUProgram(
    program: FlatProgram,
    inputs: tf.TensorInfo[],
    outputDtype: tf.DataType,
    uniforms?: Uniform[],
    output?: tf.TensorInfo,
  ): tf.TensorInfo;
  makeTensorInfo(shape: number[], dtype: tf.DataType, values?: Float32Array | Int32Array): tf.TensorInfo;
  disposeData(dataId: tf.DataId): boolean;
}

const WORKGROUP = 64;

/**
 * A flat program: one invocation per element of `threads` (dispatched as
 * `ceil(threads / 64)` workgroups; the backend reshapes the dispatch when it
 * exceeds the per-dimension limit). The WGSL body is a `fn main(index: i32)`
 * that the backend's header calls; inputs are the storage arrays named in
 * `variableNames`, `result` is the output, uniforms are `uniforms.<name>`.
 */
export class FlatProgram {
  readonly variableNames: string[];
  readonly outputShape: number[];
  readonly dispatchLayout: { x: number[] };
  dispatch: [number, number, number];
  readonly workgroupSize: [number, number, number] = [WORKGROUP, 1, 1];
  shaderKey: string;
  readonly uniforms: string;
  readonly atomic: boolean;
  private readonly body: string;
  private readonly helpers: string;

  constructor(opts: {
    key: string;
    variableNames: string[];
    outputShape: number[];
    threads: number;
    uniforms: string;
    body: string;
    helpers?: string;
    atomic?: boolean;
  }) {
    this.variableNames = opts.variableNames;
    this.outputShape = opts.outputShape;
    this.dispatchLayout = { x: opts.outputShape.map((_, i) => i) };
    this.dispatch = [Math.max(1, Math.ceil(opts.threads / WORKGROUP)), 1, 1];
    this.shaderKey = opts.key;
    this.uniforms = opts.uniforms;
    this.atomic = opts.atomic ?? false;
    this.body = opts.body;
    this.helpers = opts.helpers ?? '';
  }

  getUserCode(): string {
    return `
      ${this.helpers}
      fn main(index : i32) {
        ${this.body}
      }
    `;
  }
}

/** WGSL: atomically adds an f32 to `result[i]` (an `array<atomic<i32>>`), as tfjs's scatter does. */
export const ATOMIC_ADD_F32 = `
  fn atomicAddF32(i : i32, v : f32) {
    var old = atomicLoad(&result[i]);
    loop {
      let res = atomicCompareExchangeWeak(&result[i], old, bitcast<i32>(bitcast<f32>(old) + v));
      if (res.exchanged) { break; }
      old = res.old_value;
    }
  }
`;
