/**
 * Private host-side mesh topology: unique edges, face→edge maps, vertex
 * degrees and the face pairs of every edge, computed once per `Meshes` from
 * the packed face indices (constants for autograd, as in PyTorch3D where
 * they are built under `no_grad`).
 */

/** Packed topology of a batch of meshes (vertex indices are packed, i.e. global). */
export class Topology {
  /** Packed faces, `3·F` vertex indices. */
  readonly faces: Int32Array;
  /** Vertices per mesh. */
  readonly numVerts: readonly number[];
  /** Faces per mesh. */
  readonly numFaces: readonly number[];
  /** First packed vertex of each mesh. */
  readonly vertFirst: readonly number[];
  /** First packed face of each mesh. */
  readonly faceFirst: readonly number[];
  /** Total vertices. */
  readonly V: number;
  /** Total faces. */
  readonly F: number;
  private edgesCache: { edges: Int32Array; faceToEdge: Int32Array; numEdges: number[] } | null = null;
  private pairsCache: NormalPairs | null = null;
  private uniformCache: UniformLaplacian | null = null;

  constructor(faces: Int32Array, numVerts: number[], numFaces: number[]) {
    this.faces = faces;
    this.numVerts = numVerts;
    this.numFaces = numFaces;
    this.vertFirst = prefix(numVerts);
    this.faceFirst = prefix(numFaces);
    this.V = numVerts.reduce((a, b) => a + b, 0);
    this.F = numFaces.reduce((a, b) => a + b, 0);
  }

  /** Mesh index of every packed vertex. */
  vertToMesh(): Int32Array {
    const out = new Int32Array(this.V);
    this.numVerts.forEach((n, m) => out.fill(m, this.vertFirst[m]!, this.vertFirst[m]! + n));
    return out;
  }

  /** Mesh index of every packed face. */
  faceToMesh(): Int32Array {
    const out = new Int32Array(this.F);
    this.numFaces.forEach((n, m) => out.fill(m, this.faceFirst[m]!, this.faceFirst[m]! + n));
    return out;
  }

  /**
   * Unique undirected edges `(a, b)`, `a < b`, sorted lexicographically (as
   * PyTorch3D's `edges_packed`), the edge of each face side (sides in the
   * order `(v1, v2)`, `(v2, v0)`, `(v0, v1)`), and edges per mesh.
   */
  edges(): { edges: Int32Array; faceToEdge: Int32Array; numEdges: number[] } {
    if (this.edgesCache) return this.edgesCache;
    const F = this.F;
    const V = Math.max(this.V, 1);
    const f = this.faces;
    const keys = new Float64Array(3 * F);
    for (let i = 0; i < F; i++) {
      const a = f[3 * i]!;
      const b = f[3 * i + 1]!;
      const c = f[3 * i + 2]!;
      keys[3 * i] = key(b, c, V);
      keys[3 * i + 1] = key(c, a, V);
      keys[3 * i + 2] = key(a, b, V);
    }
    const sorted = Float64Array.from(keys).sort();
    const uniq: number[] = [];
    for (let i = 0; i < sorted.length; i++) if (i === 0 || sorted[i] !== sorted[i - 1]) uniq.push(sorted[i]!);
    const index = new Map<number, number>();
    uniq.forEach((k, i) => index.set(k, i));
    const edges = new Int32Array(2 * uniq.length);
    uniq.forEach((k, i) => {
      edges[2 * i] = Math.floor(k / V);
      edges[2 * i + 1] = k % V;
    });
    const faceToEdge = new Int32Array(3 * F);
    for (let i = 0; i < 3 * F; i++) faceToEdge[i] = index.get(keys[i]!)!;
    const numEdges = this.numVerts.map(() => 0);
    const v2m = this.vertToMesh();
    for (let e = 0; e < uniq.length; e++) numEdges[v2m[edges[2 * e]!]!]! += 1;
    this.edgesCache = { edges, faceToEdge, numEdges };
    return this.edgesCache;
  }

  /** Index arrays and weights of the uniform Laplacian `r_i = mean_{j ∈ N(i)} v_j - v_i`. */
  uniformLaplacian(): UniformLaplacian {
    if (this.uniformCache) return this.uniformCache;
    const { edges } = this.edges();
    const E = edges.length / 2;
    const deg = new Float64Array(this.V);
    for (let i = 0; i < 2 * E; i++) deg[edges[i]!]! += 1;
    const src = new Int32Array(2 * E);
    const dst = new Int32Array(2 * E);
    const weight = new Float32Array(2 * E);
    for (let e = 0; e < E; e++) {
      const a = edges[2 * e]!;
      const b = edges[2 * e + 1]!;
      src[2 * e] = a;
      dst[2 * e] = b;
      weight[2 * e] = 1 / deg[a]!;
      src[2 * e + 1] = b;
      dst[2 * e + 1] = a;
      weight[2 * e + 1] = 1 / deg[b]!;
    }
    this.uniformCache = { src, dst, weight };
    return this.uniformCache;
  }

  /**
   * For every unique edge `(v0, v1)` and every pair of faces sharing it (the
   * pairs PyTorch3D's `mesh_normal_consistency` forms), the edge's vertices,
   * the two opposite vertices and the pair's weight `1 / pairs in its mesh`.
   */
  normalPairs(): NormalPairs {
    if (this.pairsCache) return this.pairsCache;
    const { edges, faceToEdge } = this.edges();
    const E = edges.length / 2;
    const opposite: number[][] = Array.from({ length: E }, () => []);
    const f = this.faces;
    for (let i = 0; i < this.F; i++) {
      // side k is opposite vertex k: sides (v1, v2), (v2, v0), (v0, v1)
      for (let k = 0; k < 3; k++) opposite[faceToEdge[3 * i + k]!]!.push(f[3 * i + k]!);
    }
    const v0: number[] = [];
    const v1: number[] = [];
    const a: number[] = [];
    const b: number[] = [];
    for (let e = 0; e < E; e++) {
      const opp = opposite[e]!;
      // PyTorch3D's loops: i in [0, n-2], j in [1, n-1], i != j
      for (let i = 0; i < opp.length - 1; i++) {
        for (let j = 1; j < opp.length; j++) {
          if (i === j) continue;
          v0.push(edges[2 * e]!);
          v1.push(edges[2 * e + 1]!);
          a.push(opp[i]!);
          b.push(opp[j]!);
        }
      }
    }
    const v2m = this.vertToMesh();
    const perMesh = this.numVerts.map(() => 0);
    v0.forEach((v) => (perMesh[v2m[v]!]! += 1));
    const weight = Float32Array.from(v0, (v) => 1 / perMesh[v2m[v]!]!);
    this.pairsCache = { v0: Int32Array.from(v0), v1: Int32Array.from(v1), a: Int32Array.from(a), b: Int32Array.from(b), weight };
    return this.pairsCache;
  }
}

/** See {@link Topology.uniformLaplacian}: `r[src] += weight·v[dst]`. */
export interface UniformLaplacian {
  src: Int32Array;
  dst: Int32Array;
  weight: Float32Array;
}

/** See {@link Topology.normalPairs}. */
export interface NormalPairs {
  v0: Int32Array;
  v1: Int32Array;
  a: Int32Array;
  b: Int32Array;
  weight: Float32Array;
}

function key(a: number, b: number, V: number): number {
  return a < b ? a * V + b : b * V + a;
}

function prefix(counts: readonly number[]): number[] {
  const out: number[] = [];
  let s = 0;
  for (const c of counts) {
    out.push(s);
    s += c;
  }
  return out;
}
