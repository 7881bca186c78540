/**
 * Private: RoIAlign / RoIPool as WGSL programs for tfjs's WebGPU backend
 * (one invocation per output element; the backward passes scatter with an
 * atomic float add, as tfjs's own scatter does). Same rules as the JS
 * kernels, in f32; rois whose batch index is out of range give zeros here
 * (the GPU cannot throw; `checkRoiBoxes` reports them on every backend).
 */
import type * as tf from '@tensorflow/tfjs-core';
import { ATOMIC_ADD_F32, FlatProgram, type Uniform, type WebGPUBackendLike } from '../_internal/webgpu.js';
import type { RoiAlignAttrs } from './_roi-align-js.js';
import type { RoiPoolAttrs } from './_roi-pool-js.js';

function size(shape: readonly number[]): number {
  return shape.reduce((a, b) => a * b, 1);
}

/** WGSL: the roi geometry shared by the RoIAlign programs (`k` = roi, needs `uniforms.{scale,sampling,aligned}`). */
const ALIGN_GEOMETRY = `
  let off = select(0.0, 0.5, uniforms.aligned != 0);
  let r = k * 5;
  let sx = rois[r + 1] * uniforms.scale - off;
  let sy = rois[r + 2] * uniforms.scale - off;
  var rw = rois[r + 3] * uniforms.scale - off - sx;
  var rh = rois[r + 4] * uniforms.scale - off - sy;
  if (uniforms.aligned == 0) { rw = max(rw, 1.0); rh = max(rh, 1.0); }
  let bh = rh / f32(PH);
  let bw = rw / f32(PW);
  var gh = uniforms.sampling;
  var gw = uniforms.sampling;
  if (gh <= 0) { gh = max(i32(ceil(rh / f32(PH))), 0); gw = max(i32(ceil(rw / f32(PW))), 0); }
  let inv = 1.0 / f32(max(gh * gw, 1));
`;

/** WGSL: the bilinear sample rule, calling `emit(pos, weight)` four times (torchvision's pre_calc). */
function bilinear(emit: (pos: string, weight: string) => string): string {
  return `
    if (!(yv < -1.0 || yv > f32(H) || xv < -1.0 || xv > f32(W))) {
      var y = max(yv, 0.0);
      var xx = max(xv, 0.0);
      var y0 = i32(floor(y));
      var x0 = i32(floor(xx));
      var y1 = y0 + 1;
      var x1 = x0 + 1;
      if (y0 >= H - 1) { y0 = H - 1; y1 = H - 1; y = f32(y0); }
      if (x0 >= W - 1) { x0 = W - 1; x1 = W - 1; xx = f32(x0); }
      let ly = y - f32(y0);
      let lx = xx - f32(x0);
      let hy = 1.0 - ly;
      let hx = 1.0 - lx;
      let row0 = (b * H + y0) * W;
      let row1 = (b * H + y1) * W;
      ${emit('(row0 + x0) * C + c', 'hy * hx')}
      ${emit('(row0 + x1) * C + c', 'hy * lx')}
      ${emit('(row1 + x0) * C + c', 'ly * hx')}
      ${emit('(row1 + x1) * C + c', 'ly * lx')}
    }`;
}

/** WGSL: decode `index` over a `[K, PH, PW, C]` tensor. */
const BIN_COORDS = `
  let c = index % C;
  let j = (index / C) % PW;
  let i = (index / (C * PW)) % PH;
  let k = index / (C * PW * PH);
`;

function sampleLoops(inner: string): string {
  return `
    for (var iy = 0; iy < gh; iy++) {
      let yv = sy + f32(i) * bh + (f32(iy) + 0.5) * bh / f32(gh);
      for (var ix = 0; ix < gw; ix++) {
        let xv = sx + f32(j) * bw + (f32(ix) + 0.5) * bw / f32(gw);
        ${inner}
      }
    }`;
}

const ALIGN_UNIFORMS = 'scale : f32, sampling : i32, aligned : i32, threads : i32,';

function alignUniforms(a: RoiAlignAttrs, threads: number): Uniform[] {
  return [
    { type: 'float32', data: [a.spatialScale] },
    { type: 'int32', data: [a.samplingRatio] },
    { type: 'int32', data: [a.aligned ? 1 : 0] },
    { type: 'int32', data: [threads] },
  ];
}

/** RoIAlign forward on WebGPU: `[N, H, W, C]`, `[K, 5]` → `[K, ph, pw, C]`. */
export function roiAlignForwardWebGPU(backend: WebGPUBackendLike, x: tf.TensorInfo, rois: tf.TensorInfo, a: RoiAlignAttrs): tf.TensorInfo {
  const [, , , c] = x.shape as [number, number, number, number];
  const outShape = [rois.shape[0]!, a.pooledHeight, a.pooledWidth, c];
  const threads = size(outShape);
  const program = new FlatProgram({
    key: 'foveaRoiAlignFwd',
    variableNames: ['feat', 'rois'],
    outputShape: outShape,
    threads,
    uniforms: ALIGN_UNIFORMS,
    body: `
      if (index >= uniforms.threads) { return; }
      let N = uniforms.featShape[0]; let H = uniforms.featShape[1]; let W = uniforms.featShape[2]; let C = uniforms.featShape[3];
      let PH = uniforms.outShape[1]; let PW = uniforms.outShape[2];
      ${BIN_COORDS}
      let b = i32(rois[k * 5]);
      if (b < 0 || b >= N || f32(b) != rois[k * 5]) { result[index] = 0.0; return; }
      ${ALIGN_GEOMETRY}
      var acc = 0.0;
      ${sampleLoops(bilinear((pos, wt) => `acc = acc + (${wt}) * feat[${pos}];`))}
      result[index] = acc * inv;
    `,
  });
  return backend.runWebGPUProgram(program, [x, rois], 'float32', alignUniforms(a, threads));
}

/** RoIAlign backward on WebGPU: scatters `dy` `[K, ph, pw, C]` into a zeroed `[N, H, W, C]`. */
export function roiAlignBackwardWebGPU(backend: WebGPUBackendLike, dy: tf.TensorInfo, rois: tf.TensorInfo, xShape: number[], a: RoiAlignAttrs): tf.TensorInfo {
  const out = backend.makeTensorInfo(xShape, 'float32', new Float32Array(size(xShape)));
  const threads = size(dy.shape);
  if (threads === 0) return out;
  const program = new FlatProgram({
    key: 'foveaRoiAlignBwd',
    variableNames: ['dy', 'rois'],
    outputShape: xShape,
    threads,
    uniforms: ALIGN_UNIFORMS,
    atomic: true,
    helpers: ATOMIC_ADD_F32,
    body: `
      if (index >= uniforms.threads) { return; }
      let N = uniforms.outShape[0]; let H = uniforms.outShape[1]; let W = uniforms.outShape[2]; let C = uniforms.outShape[3];
      let PH = uniforms.dyShape[1]; let PW = uniforms.dyShape[2];
      ${BIN_COORDS}
      let b = i32(rois[k * 5]);
      if (b < 0 || b >= N || f32(b) != rois[k * 5]) { return; }
      ${ALIGN_GEOMETRY}
      let g = dy[index] * inv;
      ${sampleLoops(bilinear((pos, wt) => `atomicAddF32(${pos}, (${wt}) * g);`))}
    `,
  });
  return backend.runWebGPUProgram(program, [dy, rois], 'float32', alignUniforms(a, threads), out);
}

/** RoIPool forward on WebGPU: the max (`mode` 0, float32) or its flat NHWC index (`mode` 1, int32, -1 when empty). */
export function roiPoolForwardWebGPU(backend: WebGPUBackendLike, x: tf.TensorInfo, rois: tf.TensorInfo, a: RoiPoolAttrs, mode: 0 | 1): tf.TensorInfo {
  const [, , , c] = x.shape as [number, number, number, number];
  const outShape = [rois.shape[0]!, a.pooledHeight, a.pooledWidth, c];
  const threads = size(outShape);
  const write = mode === 0 ? 'result[index] = best;' : 'result[index] = arg;';
  const program = new FlatProgram({
    key: `foveaRoiPoolFwd${mode}`,
    variableNames: ['feat', 'rois'],
    outputShape: outShape,
    threads,
    uniforms: 'scale : f32, threads : i32,',
    helpers: `
      fn cRound(v : f32) -> i32 {
        if (v < 0.0) { return -i32(floor(-v + 0.5)); }
        return i32(floor(v + 0.5));
      }
    `,
    body: `
      if (index >= uniforms.threads) { return; }
      let N = uniforms.featShape[0]; let H = uniforms.featShape[1]; let W = uniforms.featShape[2]; let C = uniforms.featShape[3];
      let PH = uniforms.outShape[1]; let PW = uniforms.outShape[2];
      ${BIN_COORDS}
      let b = i32(rois[k * 5]);
      var best = 0.0;
      var arg = -1;
      if (b >= 0 && b < N && f32(b) == rois[k * 5]) {
        let xs = cRound(rois[k * 5 + 1] * uniforms.scale);
        let ys = cRound(rois[k * 5 + 2] * uniforms.scale);
        let xe = cRound(rois[k * 5 + 3] * uniforms.scale);
        let ye = cRound(rois[k * 5 + 4] * uniforms.scale);
        let bh = f32(max(ye - ys + 1, 1)) / f32(PH);
        let bw = f32(max(xe - xs + 1, 1)) / f32(PW);
        let h0 = min(max(i32(floor(f32(i) * bh)) + ys, 0), H);
        let h1 = min(max(i32(ceil(f32(i + 1) * bh)) + ys, 0), H);
        let w0 = min(max(i32(floor(f32(j) * bw)) + xs, 0), W);
        let w1 = min(max(i32(ceil(f32(j + 1) * bw)) + xs, 0), W);
        if (h1 > h0 && w1 > w0) {
          best = -3.4028234663852886e38;
          for (var y = h0; y < h1; y++) {
            for (var xx = w0; xx < w1; xx++) {
              let p = ((b * H + y) * W + xx) * C + c;
              let v = feat[p];
              if (v > best) { best = v; arg = p; }
            }
          }
        }
      }
      ${write}
    `,
  });
  return backend.runWebGPUProgram(program, [x, rois], mode === 0 ? 'float32' : 'int32', [
    { type: 'float32', data: [a.spatialScale] },
    { type: 'int32', data: [threads] },
  ]);
}

/** RoIPool backward on WebGPU: `dx[arg] += dy` into a zeroed `[N, H, W, C]`. */
export function roiPoolBackwardWebGPU(backend: WebGPUBackendLike, dy: tf.TensorInfo, arg: tf.TensorInfo, xShape: number[]): tf.TensorInfo {
  const out = backend.makeTensorInfo(xShape, 'float32', new Float32Array(size(xShape)));
  const threads = size(dy.shape);
  if (threads === 0) return out;
  const program = new FlatProgram({
    key: 'foveaRoiPoolBwd',
    variableNames: ['dy', 'arg'],
    outputShape: xShape,
    threads,
    uniforms: 'threads : i32,',
    atomic: true,
    helpers: ATOMIC_ADD_F32,
    body: `
      if (index >= uniforms.threads) { return; }
      let p = arg[index];
      if (p >= 0) { atomicAddF32(p, dy[index]); }
    `,
  });
  return backend.runWebGPUProgram(program, [dy, arg], 'float32', [{ type: 'int32', data: [threads] }], out);
}
