import * as tf from '@tensorflow/tfjs-core';

/** A tensor in the conformance format (`fovea-conformance/1`). */
export interface JsonTensor {
  dtype: 'float32' | 'int32' | 'bool';
  shape: number[];
  data: (number | boolean | null)[];
}

/** Whether a JSON value is a conformance tensor. */
export function isJsonTensor(v: unknown): v is JsonTensor {
  return typeof v === 'object' && v !== null && 'dtype' in v && 'shape' in v && 'data' in v;
}

/** A conformance tensor as a tf tensor (`null` floats become NaN). */
export function fromJson(t: JsonTensor): tf.Tensor {
  const n = t.shape.reduce((a, b) => a * b, 1);
  if (t.data.length !== n) throw new Error(`tensor of shape [${t.shape.join(', ')}] has ${t.data.length} values`);
  if (t.dtype === 'bool') return tf.tensor(Uint8Array.from(t.data, (v) => (v ? 1 : 0)), t.shape, 'bool');
  if (t.dtype === 'int32') return tf.tensor(Int32Array.from(t.data, (v) => Number(v)), t.shape, 'int32');
  return tf.tensor(Float32Array.from(t.data, (v) => (v === null ? NaN : Number(v))), t.shape, 'float32');
}

/** A tf tensor as a conformance tensor of `dtype`, read asynchronously (works on WebGPU). Non-finite floats become `null`. */
export async function toJson(x: tf.Tensor, dtype: JsonTensor['dtype']): Promise<JsonTensor> {
  const data = Array.from((await x.data()) as ArrayLike<number>);
  let out: (number | boolean | null)[];
  if (dtype === 'bool') out = data.map((v) => v !== 0);
  else if (dtype === 'int32') out = data.map((v) => (Number.isFinite(v) ? Math.round(v) : null));
  else out = data.map((v) => (Number.isFinite(v) ? Math.fround(v) : null));
  return { dtype, shape: [...x.shape], data: out };
}
