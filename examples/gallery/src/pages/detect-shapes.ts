/**
 * @fovea/detection + @fovea/metrics: an FCOS detector on seeded synthetic
 * shapes scenes. The weights are the ones `examples/shapes-detection` trained
 * (`pnpm --filter @fovea/example-shapes-detection fcos`: 1,100 steps of 8
 * scenes, COCO AP@0.5 0.936 on 300 held-out scenes), served as
 * `public/weights/fcos-shapes.safetensors` and loaded with core's safetensors
 * decoder into a model built with the example's own settings (FCOS_OPTIONS).
 * The page draws ground truth next to the detections for a few scenes, scores
 * COCO box AP over a small evaluation set, and fine-tunes the detector live
 * with `lossAndGradients` + Adam, as the example trains it.
 */
import * as tf from '@tensorflow/tfjs-core';
import { Generator, decodeSafetensors } from '@fovea/core';
import {
  FCOS,
  SHAPE_CLASSES,
  detectionsToArrays,
  disposeDetections,
  lossAndGradients,
  shapesScenes,
  shapesToTargets,
  type DetectionArrays,
  type ShapesScene,
} from '@fovea/detection';
import { MeanAveragePrecision } from '@fovea/metrics';
import { Adam } from '@fovea/optim';
import { FCOS_OPTIONS } from '../../../shapes-detection/src/configs.js';
import type { GalleryPage, PageHandle } from '../types.js';
import { drawImage, el, nextFrame, plotLine, releaseWhenIdle } from '../ui.js';

/** Scene side, as the detector was trained (examples/shapes-detection/src/common.ts). */
const SIZE = 64;
/** Scenes scored with COCO AP (the first {@link SHOWN} are drawn). */
const EVAL_SCENES = 24;
const SHOWN = 6;
/** Scenes per fine-tuning step: half the example's 8, light enough for a software GPU. */
const BATCH = 4;
/** Adam's rate for fine-tuning: the example's schedule has decayed to ~0 by the end, so a fresh Adam at its 2e-3 peak would undo the training. */
const LR = 1e-4;
/** Detections kept per scene before the score slider (what COCO evaluation sees). */
const MIN_SCORE = 0.05;
const SCALE = 3;
const CLASS_COLORS = ['#ff2d55', '#0a84ff', '#ff9f0a'];

/** Draws a scene and its boxes (`[x1, y1, x2, y2]` pixel edges) with class names and, for detections, scores. */
function drawScene(canvas: HTMLCanvasElement, scene: ShapesScene, boxes: { box: readonly number[]; label: number; score?: number }[]): void {
  drawImage(canvas, scene.image, scene.height, scene.width, 3, SCALE);
  const g = canvas.getContext('2d')!;
  g.lineWidth = 2;
  g.font = 'bold 11px sans-serif';
  for (const b of boxes) {
    const [x1, y1, x2, y2] = b.box.map((v) => v * SCALE) as [number, number, number, number];
    const color = CLASS_COLORS[(b.label - 1) % CLASS_COLORS.length]!;
    g.strokeStyle = color;
    g.strokeRect(x1, y1, x2 - x1, y2 - y1);
    const text = `${SHAPE_CLASSES[b.label - 1] ?? b.label}${b.score === undefined ? '' : ` ${b.score.toFixed(2)}`}`;
    const tw = g.measureText(text).width + 4;
    const ty = y1 >= 14 ? y1 - 14 : y2; // above the box, or below it at the top edge
    g.fillStyle = color;
    g.fillRect(x1 - 1, ty, tw, 14);
    g.fillStyle = '#fff';
    g.fillText(text, x1 + 1, ty + 11);
  }
}

/** Ground-truth boxes of a scene as pixel edges (what the detector is trained and scored on; see `shapesToTargets`). */
function gtBoxes(scene: ShapesScene): number[][] {
  return scene.objects.map((o) => [o.box[0], o.box[1], o.box[2] + 1, o.box[3] + 1]);
}

export const detectShapesPage: GalleryPage = {
  id: 'detect-shapes',
  title: 'Detect shapes',
  pkg: '@fovea/detection, @fovea/metrics, @fovea/optim',
  async mount(root, ctx) {
    const status = el('div', { className: 'status' }, 'loading the FCOS weights…');
    const train = el('button', { disabled: true }, 'Train 20 steps');
    const fresh = el('button', { disabled: true }, 'New scenes');
    const threshold = el('input', { type: 'range', min: '0.05', max: '0.95', step: '0.05', value: '0.5' });
    const thresholdLabel = el('span', {}, 'score ≥ 0.50');
    const plot = el('canvas', { width: 520, height: 200 });
    const pairs = Array.from({ length: SHOWN }, () => [el('canvas'), el('canvas')] as const);
    root.append(
      el(
        'p',
        {},
        'FCOS, a single-stage anchor-free detector (@fovea/detection): a ResNet-block backbone with a feature pyramid at stride 4, and per location ' +
          'class scores (focal loss), box side distances (GIoU loss) and centerness. The weights come from examples/shapes-detection (1,100 steps of ' +
          '8 fresh 64×64 scenes, COCO AP@0.5 0.936 on 300 held-out scenes) and are loaded from a safetensors file. The scenes are seeded synthetic ' +
          'circles, squares and triangles (shapesScenes); COCO box AP (@fovea/metrics) is measured on 24 of them, the first 6 drawn: ground truth ' +
          'left, detections right. “Train” fine-tunes the detector on fresh scenes with Adam (lr 1e-4, 4 scenes a step).',
      ),
      el('div', { className: 'row' }, train, fresh, el('label', {}, threshold, ' ', thresholdLabel)),
      el('div', { className: 'row' }, ...pairs.map(([gt, pred]) => el('div', { className: 'card' }, 'ground truth | detections', el('br'), gt, ' ', pred))),
      el('div', { className: 'row' }, el('div', { className: 'card' }, plot), el('div', {}, status)),
    );

    const url = `${import.meta.env.BASE_URL}weights/fcos-shapes.safetensors`;
    const res = await fetch(url);
    if (!res.ok) throw new Error(`could not fetch ${url}: HTTP ${res.status}`);
    const { tensors } = decodeSafetensors(new Uint8Array(await res.arrayBuffer()), { source: url });
    const model = new FCOS({ ...FCOS_OPTIONS });
    try {
      model.loadStateDict(tensors);
    } finally {
      tf.dispose(Object.values(tensors));
    }
    const optimizer = new Adam(model.trainableParameters(), { lr: LR });
    const data = new Generator(1000); // the fine-tuning stream
    let sceneSeed = 7;
    let scenes: ShapesScene[] = [];
    let dets: DetectionArrays[] = [];
    const losses: number[] = [];
    let ap = { ap: NaN, ap50: NaN, ap75: NaN };
    let stopped = false;
    let busy = false;

    const draw = () => {
      const t = Number(threshold.value);
      thresholdLabel.textContent = `score ≥ ${t.toFixed(2)}`;
      pairs.forEach(([gt, pred], i) => {
        const s = scenes[i];
        const d = dets[i];
        if (!s || !d) return;
        drawScene(gt, s, gtBoxes(s).map((box, j) => ({ box, label: s.objects[j]!.label })));
        drawScene(pred, s, d.boxes.map((box, k) => ({ box, label: d.labels[k]!, score: d.scores[k]! })).filter((b) => b.score >= t));
      });
    };
    /** Detects on the evaluation scenes and scores them with COCO AP. */
    const evaluate = async (): Promise<void> => {
      scenes = shapesScenes(EVAL_SCENES, { size: SIZE, generator: new Generator(sceneSeed) });
      dets = [];
      for (let i = 0; i < scenes.length && !stopped; i += 8) {
        const batch = shapesToTargets(scenes.slice(i, i + 8));
        try {
          const out = await model.detect(batch.images, { scoreThreshold: MIN_SCORE });
          for (const d of out) dets.push(await detectionsToArrays(d));
          disposeDetections(out);
        } finally {
          batch.dispose();
        }
      }
      if (stopped) return;
      const map = new MeanAveragePrecision({ boxFormat: 'xyxy' });
      await map.update(
        dets.map((d) => ({ boxes: d.boxes, scores: d.scores, labels: d.labels })),
        scenes.map((s) => ({ boxes: gtBoxes(s), labels: s.objects.map((o) => o.label) })),
      );
      const r = map.compute();
      ap = { ap: r.stats[0]!, ap50: r.stats[1]!, ap75: r.stats[2]! };
      draw();
    };
    const summary = () => {
      const n = dets.reduce((s, d) => s + d.scores.filter((v) => v >= Number(threshold.value)).length, 0);
      const objects = scenes.reduce((s, sc) => s + sc.objects.length, 0);
      return (
        `COCO box AP ${ap.ap.toFixed(3)}, AP@0.5 ${ap.ap50.toFixed(3)}, AP@0.75 ${ap.ap75.toFixed(3)} on ${scenes.length} scenes ` +
        `(${objects} objects, ${n} detections scoring ≥ ${Number(threshold.value).toFixed(2)})` +
        `${losses.length ? `, ${losses.length} fine-tuning steps, loss ${losses.at(-1)!.toFixed(3)}` : ''}`
      );
    };
    const setBusy = (b: boolean) => {
      busy = b;
      train.disabled = b;
      fresh.disabled = b;
    };
    /** Fine-tunes `steps` steps on fresh scenes, then detects and scores. */
    const run = async (steps: number): Promise<string> => {
      if (busy) throw new Error('detect-shapes: already running');
      setBusy(true);
      try {
        for (let s = 0; s < steps && !stopped; s++) {
          const batch = shapesToTargets(shapesScenes(BATCH, { size: SIZE, generator: data }));
          try {
            model.train();
            const r = await lossAndGradients(model, batch.images, batch.targets);
            optimizer.step(r.grads);
            tf.dispose(r.grads);
            losses.push(r.loss);
          } finally {
            batch.dispose();
          }
          plotLine(plot, [{ ys: losses, color: '#3b6fd8', label: 'training loss' }], `fine-tuning loss after ${losses.length} steps`);
          status.textContent = `fine-tuning step ${losses.length}: loss ${losses.at(-1)!.toFixed(4)} (${ctx.backend.backend})`;
          await nextFrame();
        }
        if (stopped) return 'stopped';
        status.textContent = `detecting on ${EVAL_SCENES} scenes…`;
        await evaluate();
        status.textContent = `${summary()}\nbackend ${ctx.backend.backend}`;
        return summary();
      } finally {
        setBusy(false);
      }
    };
    train.onclick = () => void run(20).catch((e) => (status.textContent = String(e)));
    fresh.onclick = () => {
      sceneSeed += 1;
      setBusy(true);
      status.textContent = `detecting on ${EVAL_SCENES} new scenes…`;
      void evaluate()
        .then(() => (status.textContent = `${summary()}\nbackend ${ctx.backend.backend}`))
        .catch((e) => (status.textContent = String(e)))
        .finally(() => setBusy(false));
    };
    threshold.oninput = () => {
      draw();
      if (!busy && scenes.length) status.textContent = `${summary()}\nbackend ${ctx.backend.backend}`;
    };
    setBusy(true);
    await evaluate();
    setBusy(false);
    status.textContent = `${model.numParameters().toLocaleString('en')} parameters loaded\n${summary()}\nbackend ${ctx.backend.backend}`;

    const handle: PageHandle = {
      demo: run,
      dispose: () => {
        stopped = true;
        releaseWhenIdle(() => busy, () => {
          optimizer.dispose();
          model.dispose();
        });
      },
    };
    return handle;
  },
};
