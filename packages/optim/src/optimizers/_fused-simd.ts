/**
 * WebAssembly SIMD versions of the fused optimizer updates, for the `wasm`
 * backend. A scalar JavaScript loop over float32 arrays (about 2 ns per
 * element and array here) is slower than tfjs-backend-wasm's XNNPACK
 * elementwise chain, so on wasm each update runs as a tiny SIMD module
 * (`f32x4`, four elements per instruction) that imports the backend's own
 * `WebAssembly.Memory` and works on the tensors in place in the heap. The
 * modules are assembled here, specialised per optimizer variant (momentum,
 * centered, amsgrad, first step, ...), compiled once and cached. They compute
 * in float32 like torch.optim; the JavaScript loop in _fused.ts finishes the
 * last `n mod 4` elements. Where the memory cannot be found (another build of
 * the backend) `simdKernel` returns `undefined` and the caller keeps the tf-op path.
 */

/** An expression over 4-lane float32 vectors. */
export type Expr =
  | { op: 'load'; ptr: number }
  | { op: 'const'; k: number }
  | { op: 'var'; name: string }
  | { op: 'zero' }
  | { op: 'sqrt' | 'neg'; a: Expr }
  | { op: 'add' | 'sub' | 'mul' | 'div' | 'max'; a: Expr; b: Expr };

/** A statement of a kernel's loop body: `name ← e`, or `out[ptr] ← e`. */
export type Stmt = { set: string; e: Expr } | { store: number; e: Expr };

/** Expression builders (`ptr`: 0 p, 1 g, 2–4 state in, 5–8 outputs; `k`: the k-th scalar constant). */
export const E = {
  load: (ptr: number): Expr => ({ op: 'load', ptr }),
  c: (k: number): Expr => ({ op: 'const', k }),
  v: (name: string): Expr => ({ op: 'var', name }),
  zero: (): Expr => ({ op: 'zero' }),
  sqrt: (a: Expr): Expr => ({ op: 'sqrt', a }),
  neg: (a: Expr): Expr => ({ op: 'neg', a }),
  add: (a: Expr, b: Expr): Expr => ({ op: 'add', a, b }),
  sub: (a: Expr, b: Expr): Expr => ({ op: 'sub', a, b }),
  mul: (a: Expr, b: Expr): Expr => ({ op: 'mul', a, b }),
  div: (a: Expr, b: Expr): Expr => ({ op: 'div', a, b }),
  max: (a: Expr, b: Expr): Expr => ({ op: 'max', a, b }),
};

/** The exported function: 9 byte offsets (p, g, 3 state inputs, 4 outputs), the byte length to process (a multiple of 16), 8 constants. */
export type SimdFn = (...args: number[]) => void;

const N_PTR = 9;
const N_CONST = 8;
const L_BYTES = N_PTR; // param index of the byte length
const L_I = N_PTR + 1 + N_CONST; // first declared local: the byte index
const SIMD = 0xfd;
const OP = { sqrt: 0xe3, neg: 0xe1, add: 0xe4, sub: 0xe5, mul: 0xe6, div: 0xe7, max: 0xe9 } as const;

function uleb(n: number): number[] {
  const out: number[] = [];
  do {
    let b = n & 0x7f;
    n >>>= 7;
    if (n !== 0) b |= 0x80;
    out.push(b);
  } while (n !== 0);
  return out;
}

const simdOp = (code: number): number[] => [SIMD, ...uleb(code)];
const str = (s: string): number[] => [...uleb(s.length), ...[...s].map((c) => c.charCodeAt(0))];
const section = (id: number, body: number[]): number[] => [id, ...uleb(body.length), ...body];

/** The code of one function: `for (i = 0; i < bytes; i += 16) { ...stmts }` with the constants splatted once. */
function functionBody(stmts: Stmt[], nConst: number): number[] {
  const vars = new Map<string, number>();
  const constLocal = (k: number) => L_I + 1 + k;
  const varLocal = (name: string) => {
    if (!vars.has(name)) vars.set(name, L_I + 1 + nConst + vars.size);
    return vars.get(name)!;
  };
  const expr = (e: Expr): number[] => {
    switch (e.op) {
      case 'load': // v128.load (ptr + i), align hint 1 byte
        return [0x20, ...uleb(e.ptr), 0x20, ...uleb(L_I), 0x6a, ...simdOp(0x00), 0x00, 0x00];
      case 'const':
        return [0x20, ...uleb(constLocal(e.k))];
      case 'var':
        return [0x20, ...uleb(vars.get(e.name)!)];
      case 'zero':
        return [0x43, 0, 0, 0, 0, ...simdOp(0x13)]; // f32.const 0; f32x4.splat
      case 'sqrt':
      case 'neg':
        return [...expr(e.a), ...simdOp(OP[e.op])];
      default:
        return [...expr(e.a), ...expr(e.b), ...simdOp(OP[e.op])];
    }
  };
  const loop: number[] = [];
  for (const s of stmts) {
    if ('set' in s) {
      const code = expr(s.e); // before the new local, so `x ← f(x)` reads the old one
      loop.push(...code, 0x21, ...uleb(varLocal(s.set)));
    } else {
      loop.push(0x20, ...uleb(s.store), 0x20, ...uleb(L_I), 0x6a, ...expr(s.e), ...simdOp(0x0b), 0x00, 0x00);
    }
  }
  const code: number[] = [];
  for (let k = 0; k < nConst; k++) code.push(0x20, ...uleb(N_PTR + 1 + k), ...simdOp(0x13), 0x21, ...uleb(constLocal(k)));
  code.push(0x02, 0x40, 0x03, 0x40); // block, loop
  code.push(0x20, ...uleb(L_I), 0x20, ...uleb(L_BYTES), 0x4f, 0x0d, 0x01); // i >= bytes → break
  code.push(...loop);
  code.push(0x20, ...uleb(L_I), 0x41, 0x10, 0x6a, 0x21, ...uleb(L_I), 0x0c, 0x00, 0x0b, 0x0b, 0x0b); // i += 16; continue; end end end
  const locals = [...uleb(2), 0x01, 0x7f, ...uleb(nConst + vars.size), 0x7b]; // 1 i32, then v128s
  const body = [...locals, ...code];
  return [...uleb(body.length), ...body];
}

/** A module importing `env.memory` (shared or not) and exporting `run`. */
function assemble(stmts: Stmt[], nConst: number, shared: boolean): Uint8Array {
  const params = [...Array(N_PTR + 1).fill(0x7f), ...Array(N_CONST).fill(0x7d)];
  const type = section(1, [1, 0x60, ...uleb(params.length), ...params, 0]);
  const limits = shared ? [0x03, 0, ...uleb(65536)] : [0x00, 0];
  const imports = section(2, [1, ...str('env'), ...str('memory'), 0x02, ...limits]);
  const funcs = section(3, [1, 0]);
  const exports = section(7, [1, ...str('run'), 0x00, 0]);
  const code = section(10, [1, ...functionBody(stmts, nConst)]);
  return new Uint8Array([0x00, 0x61, 0x73, 0x6d, 1, 0, 0, 0, ...type, ...imports, ...funcs, ...exports, ...code]);
}

const memories = new WeakMap<object, WebAssembly.Memory | null>();
const compiled = new Map<string, WebAssembly.Module | null>();
const instances = new WeakMap<WebAssembly.Memory, Map<string, SimdFn>>();

/** tfjs-backend-wasm's `WebAssembly.Memory` (an export of its instance), or null. */
function memoryOf(backend: object): WebAssembly.Memory | null {
  if (memories.has(backend)) return memories.get(backend)!;
  const asm = (backend as { wasm?: { asm?: Record<string, unknown>; wasmMemory?: unknown } }).wasm;
  let mem: WebAssembly.Memory | null = null;
  if (asm?.wasmMemory instanceof WebAssembly.Memory) mem = asm.wasmMemory;
  else if (asm?.asm && typeof asm.asm === 'object') mem = (Object.values(asm.asm).find((v) => v instanceof WebAssembly.Memory) as WebAssembly.Memory | undefined) ?? null;
  memories.set(backend, mem);
  return mem;
}

/**
 * The SIMD kernel `key` for this wasm backend, built from `stmts` on first
 * use, or `undefined` (no SIMD, or the backend's memory is not reachable).
 *
 * @param backend the kernel function's backend.
 * @param key a name unique to the variant (the statements it stands for).
 * @param build the loop body and the number of constants (at most 8).
 */
export function simdKernel(backend: object, key: string, build: () => { stmts: Stmt[]; nConst: number }): SimdFn | undefined {
  const mem = memoryOf(backend);
  if (mem === null) return undefined;
  let byKey = instances.get(mem);
  if (!byKey) instances.set(mem, (byKey = new Map()));
  const hit = byKey.get(key);
  if (hit) return hit;
  const shared = typeof SharedArrayBuffer !== 'undefined' && mem.buffer instanceof SharedArrayBuffer;
  const mkey = `${shared ? 's' : 'u'}:${key}`;
  let mod = compiled.get(mkey);
  if (mod === undefined) {
    try {
      const { stmts, nConst } = build();
      mod = new WebAssembly.Module(assemble(stmts, nConst, shared) as BufferSource);
    } catch {
      mod = null; // no WebAssembly SIMD here
    }
    compiled.set(mkey, mod);
  }
  if (mod === null) return undefined;
  const fn = new WebAssembly.Instance(mod, { env: { memory: mem } }).exports['run'] as SimdFn;
  byKey.set(key, fn);
  return fn;
}

let simdOk: boolean | undefined;

/** Whether SIMD kernels can run on this backend: WebAssembly SIMD is supported and the backend's memory is reachable. */
export function simdAvailable(backend: object): boolean {
  const mem = memoryOf(backend);
  if (mem === null) return false;
  if (simdOk === undefined) {
    const shared = typeof SharedArrayBuffer !== 'undefined' && mem.buffer instanceof SharedArrayBuffer;
    try {
      simdOk = WebAssembly.validate(assemble([{ store: 5, e: E.sqrt(E.load(0)) }], 0, shared) as BufferSource);
    } catch {
      simdOk = false;
    }
  }
  return simdOk;
}
