/**
 * A small software renderer for the examples: a z-buffered, flat-shaded
 * triangle rasterizer and a point splatter over a pinhole camera
 * (`PinholeCamera` from @fovea/geometry3d projects the vertices), and a PNG
 * writer (fast-png).
 */
import { writeFile } from 'node:fs/promises';
import * as tf from '@tensorflow/tfjs-core';
import { PinholeCamera } from '@fovea/geometry3d';
import { encode } from 'fast-png';

/** An RGB image. */
export interface Image {
  width: number;
  height: number;
  data: Uint8Array; // [H, W, 3]
}

export function blank(width: number, height: number, rgb: readonly number[] = [255, 255, 255]): Image {
  const data = new Uint8Array(width * height * 3);
  for (let i = 0; i < width * height; i++) data.set(rgb, 3 * i);
  return { width, height, data };
}

/** A camera looking at the origin from `eye` (y up), square image of `size` pixels. */
export function camera(eye: number[], size: number, fov = 0.75): PinholeCamera {
  const f = size / 2 / Math.tan(fov / 2);
  return PinholeCamera.lookAt(eye, [0, 0, 0], [0, 1, 0], { fx: f, fy: f, cx: (size - 1) / 2, cy: (size - 1) / 2, width: size, height: size });
}

async function project(cam: PinholeCamera, verts: Float32Array): Promise<{ uv: Float32Array; depth: Float32Array }> {
  const v = tf.tensor2d(verts, [verts.length / 3, 3]);
  const { uv, depth } = cam.project(v);
  const out = { uv: (await uv.data()) as Float32Array, depth: (await depth.data()) as Float32Array };
  tf.dispose([v, uv, depth]);
  return out;
}

/** Draws a triangle mesh with flat Lambert shading (a headlight plus ambient) into `img`. */
export async function drawMesh(img: Image, cam: PinholeCamera, verts: Float32Array, faces: Int32Array, rgb: readonly number[]): Promise<void> {
  const { uv, depth } = await project(cam, verts);
  const z = new Float32Array(img.width * img.height).fill(Infinity);
  const R = cam.R;
  for (let f = 0; f < faces.length; f += 3) {
    const [a, b, c] = [faces[f]!, faces[f + 1]!, faces[f + 2]!];
    // camera-space normal for shading (either side lit: fitted meshes may fold)
    const p = (i: number): number[] => [0, 1, 2].map((k) => verts[3 * i + k]!);
    const [pa, pb, pc] = [p(a), p(b), p(c)];
    const e1 = pb.map((x, k) => x - pa[k]!);
    const e2 = pc.map((x, k) => x - pa[k]!);
    const n = [e1[1]! * e2[2]! - e1[2]! * e2[1]!, e1[2]! * e2[0]! - e1[0]! * e2[2]!, e1[0]! * e2[1]! - e1[1]! * e2[0]!];
    const nz = R[2]![0]! * n[0]! + R[2]![1]! * n[1]! + R[2]![2]! * n[2]!;
    const len = Math.hypot(n[0]!, n[1]!, n[2]!) || 1;
    const shade = 0.25 + 0.75 * Math.abs(nz / len);
    const xs = [uv[2 * a]!, uv[2 * b]!, uv[2 * c]!];
    const ys = [uv[2 * a + 1]!, uv[2 * b + 1]!, uv[2 * c + 1]!];
    const zs = [depth[a]!, depth[b]!, depth[c]!];
    const area = (xs[1]! - xs[0]!) * (ys[2]! - ys[0]!) - (xs[2]! - xs[0]!) * (ys[1]! - ys[0]!);
    if (Math.abs(area) < 1e-12 || zs.some((d) => d <= 0)) continue;
    const x0 = Math.max(0, Math.floor(Math.min(...xs)));
    const x1 = Math.min(img.width - 1, Math.ceil(Math.max(...xs)));
    const y0 = Math.max(0, Math.floor(Math.min(...ys)));
    const y1 = Math.min(img.height - 1, Math.ceil(Math.max(...ys)));
    for (let y = y0; y <= y1; y++) {
      for (let x = x0; x <= x1; x++) {
        const w0 = ((xs[1]! - x) * (ys[2]! - y) - (xs[2]! - x) * (ys[1]! - y)) / area;
        const w1 = ((xs[2]! - x) * (ys[0]! - y) - (xs[0]! - x) * (ys[2]! - y)) / area;
        const w2 = 1 - w0 - w1;
        if (w0 < 0 || w1 < 0 || w2 < 0) continue;
        const d = w0 * zs[0]! + w1 * zs[1]! + w2 * zs[2]!;
        const i = y * img.width + x;
        if (d >= z[i]!) continue;
        z[i] = d;
        img.data.set(rgb.map((ch) => Math.round(ch * shade)), 3 * i);
      }
    }
  }
}

/** Splats points as small discs, nearer points on top. */
export async function drawPoints(img: Image, cam: PinholeCamera, points: Float32Array, rgb: readonly number[], radius = 1): Promise<void> {
  const { uv, depth } = await project(cam, points);
  const order = Array.from({ length: depth.length }, (_, i) => i).sort((i, j) => depth[j]! - depth[i]!);
  for (const i of order) {
    const cx = Math.round(uv[2 * i]!);
    const cy = Math.round(uv[2 * i + 1]!);
    for (let dy = -radius; dy <= radius; dy++) {
      for (let dx = -radius; dx <= radius; dx++) {
        const x = cx + dx;
        const y = cy + dy;
        if (dx * dx + dy * dy > radius * radius || x < 0 || y < 0 || x >= img.width || y >= img.height) continue;
        img.data.set(rgb, 3 * (y * img.width + x));
      }
    }
  }
}

/** Places images side by side with a gap. */
export function row(images: Image[], gap = 8): Image {
  const h = Math.max(...images.map((i) => i.height));
  const w = images.reduce((s, i) => s + i.width, 0) + gap * (images.length - 1);
  const out = blank(w, h, [235, 235, 235]);
  let x0 = 0;
  for (const im of images) {
    for (let y = 0; y < im.height; y++) out.data.set(im.data.subarray(3 * y * im.width, 3 * (y + 1) * im.width), 3 * (y * w + x0));
    x0 += im.width + gap;
  }
  return out;
}

export async function savePng(path: string, img: Image): Promise<void> {
  await writeFile(path, encode({ width: img.width, height: img.height, data: img.data, channels: 3, depth: 8 }));
}
