/** Small DOM helpers for the pages. */
export function el<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  props: Partial<HTMLElementTagNameMap[K]> & { dataset?: Record<string, string> } = {},
  ...children: (Node | string)[]
): HTMLElementTagNameMap[K] {
  const e = document.createElement(tag);
  const { dataset, ...rest } = props;
  Object.assign(e, rest);
  if (dataset) Object.assign(e.dataset, dataset);
  for (const c of children) e.append(c);
  return e;
}

/** A line plot of `ys` on a canvas (loss curves). */
export function plotLine(canvas: HTMLCanvasElement, series: { ys: number[]; color: string; label: string }[], title: string): void {
  const g = canvas.getContext('2d')!;
  const { width: w, height: h } = canvas;
  g.fillStyle = '#fff';
  g.fillRect(0, 0, w, h);
  const all = series.flatMap((s) => s.ys).filter(Number.isFinite);
  g.fillStyle = '#1d2330';
  g.font = '12px sans-serif';
  g.fillText(title, 8, 14);
  if (all.length < 2) return;
  const lo = Math.min(...all);
  const hi = Math.max(...all);
  const n = Math.max(...series.map((s) => s.ys.length));
  const x = (i: number) => 30 + ((w - 40) * i) / Math.max(1, n - 1);
  const y = (v: number) => h - 20 - ((h - 40) * (v - lo)) / Math.max(1e-9, hi - lo);
  g.strokeStyle = '#dde1e7';
  g.strokeRect(30, 20, w - 40, h - 40);
  g.fillText(hi.toFixed(3), 2, 26);
  g.fillText(lo.toFixed(3), 2, h - 20);
  series.forEach((s, k) => {
    g.strokeStyle = s.color;
    g.beginPath();
    s.ys.forEach((v, i) => (i ? g.lineTo(x(i), y(v)) : g.moveTo(x(i), y(v))));
    g.stroke();
    g.fillStyle = s.color;
    g.fillText(s.label, w - 120, 14 + 14 * k);
  });
}

/** Draws a `[H, W]` or `[H, W, 3]` image with values in [0, 1] scaled up on a canvas. */
export function drawImage(canvas: HTMLCanvasElement, data: ArrayLike<number>, h: number, w: number, channels = 1, scale = 4): void {
  canvas.width = w * scale;
  canvas.height = h * scale;
  const g = canvas.getContext('2d')!;
  const img = g.createImageData(w, h);
  for (let i = 0; i < h * w; i++) {
    for (let c = 0; c < 3; c++) {
      const v = data[i * channels + (channels === 1 ? 0 : c)]!;
      img.data[4 * i + c] = Math.max(0, Math.min(255, Math.round(v * 255)));
    }
    img.data[4 * i + 3] = 255;
  }
  const tmp = document.createElement('canvas');
  tmp.width = w;
  tmp.height = h;
  tmp.getContext('2d')!.putImageData(img, 0, 0);
  g.imageSmoothingEnabled = false;
  g.drawImage(tmp, 0, 0, w * scale, h * scale);
}

/** Lets the browser paint between training steps. */
export function nextFrame(): Promise<void> {
  return new Promise((r) => requestAnimationFrame(() => r()));
}

/**
 * Draws `n` images of `h × w` (one channel, values in [0, 1], packed `[n, h, w]`)
 * as a grid of `cols` columns on a canvas, `scale` pixels per image pixel and a
 * `gap` between cells; `rowLabels` (one per row) are written in a left margin.
 */
export function drawGrid(
  canvas: HTMLCanvasElement,
  data: ArrayLike<number>,
  n: number,
  h: number,
  w: number,
  opts: { cols: number; scale?: number; gap?: number; rowLabels?: string[] },
): void {
  const { cols, scale = 2, gap = 2 } = opts;
  const rows = Math.ceil(n / cols);
  const margin = opts.rowLabels ? 18 : 0;
  canvas.width = margin + cols * (w * scale + gap) + gap;
  canvas.height = rows * (h * scale + gap) + gap;
  const g = canvas.getContext('2d')!;
  g.fillStyle = '#fff';
  g.fillRect(0, 0, canvas.width, canvas.height);
  const img = g.createImageData(w, h);
  const tmp = document.createElement('canvas');
  tmp.width = w;
  tmp.height = h;
  const tg = tmp.getContext('2d')!;
  g.imageSmoothingEnabled = false;
  for (let k = 0; k < n; k++) {
    for (let i = 0; i < h * w; i++) {
      const v = Math.max(0, Math.min(255, Math.round(data[k * h * w + i]! * 255)));
      img.data[4 * i] = img.data[4 * i + 1] = img.data[4 * i + 2] = v;
      img.data[4 * i + 3] = 255;
    }
    tg.putImageData(img, 0, 0);
    const [r, c] = [Math.floor(k / cols), k % cols];
    g.drawImage(tmp, margin + gap + c * (w * scale + gap), gap + r * (h * scale + gap), w * scale, h * scale);
  }
  if (opts.rowLabels) {
    g.fillStyle = '#1d2330';
    g.font = '12px sans-serif';
    opts.rowLabels.forEach((s, r) => g.fillText(s, 3, gap + r * (h * scale + gap) + (h * scale) / 2 + 4));
  }
}

/**
 * The bytes of `public/weights/<name>` (pretrained weights shipped with the
 * gallery), or `null` when the file is not there — also when a dev server
 * answers a missing file with its index.html.
 */
export async function fetchWeights(name: string): Promise<Uint8Array | null> {
  const res = await fetch(`${import.meta.env.BASE_URL}weights/${name}`).catch(() => null);
  if (!res?.ok || /text\/html/.test(res.headers.get('content-type') ?? '')) return null;
  return new Uint8Array(await res.arrayBuffer());
}

/** Runs `release` once `busy()` is false (a page's step in flight finishes first), polling every 50 ms. */
export function releaseWhenIdle(busy: () => boolean, release: () => void): void {
  const attempt = (): void => {
    if (busy()) return void setTimeout(attempt, 50);
    release();
  };
  attempt();
}
