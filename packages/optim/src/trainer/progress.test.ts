import { describe, expect, it } from 'vitest';
import { ProgressBar, StepProgress } from '../index.js';

function stream(isTTY: boolean) {
  const s = { text: '', isTTY, columns: 100, write(t: string) { s.text += t; return true; } };
  return s;
}

describe('ProgressBar', () => {
  it('draws a bar in place in a TTY, then a summary line', () => {
    const s = stream(true);
    const bar = new ProgressBar(s, 3);
    bar.startEpoch(1, 4);
    bar.update(4, { loss: 0.5 });
    bar.endEpoch({ epoch: 1, loss: 0.5, lr: 0.001, timeMs: 1500, acc: 0.75 });
    expect(s.text).toMatch(/^\repoch 1\/3 \[=+>\] 4\/4 {2}loss 0\.5000 {2}[\d.]+ it\/s/);
    expect(s.text).toContain('\r\x1b[2Kepoch 1/3  loss 0.5000  acc 0.7500  lr 1.00e-3  1.5 s\n');
  });

  it('writes only summary lines elsewhere (CI logs)', () => {
    const s = stream(false);
    const bar = new ProgressBar(s, 2);
    bar.startEpoch(2, 10);
    for (let i = 1; i <= 10; i++) bar.update(i, { loss: 1 / i });
    bar.endEpoch({ epoch: 2, loss: 2e-5, lr: 0.1, timeMs: 200 });
    bar.message('done');
    expect(s.text).toBe('epoch 2/2  loss 2.00e-5  lr 1.00e-1  0.2 s\ndone\n');
  });
});

describe('StepProgress', () => {
  it('draws a bar with a status in a TTY and ends it with a summary line', () => {
    const s = stream(true);
    const bar = new StepProgress('VAE', 4, s);
    bar.tick(2, 'loss 3.0');
    bar.tick(5, 'loss 1.0'); // clamped to the total
    expect(bar.steps).toBe(4);
    const secs = bar.finish('done');
    expect(secs).toBeGreaterThanOrEqual(0);
    expect(s.text).toMatch(/\r\x1b\[2KVAE █+ 100% 4\/4 \d+s loss 1\.0/);
    expect(s.text).toMatch(/\r\x1b\[2KVAE: done \([\d.]+ s\)\n$/);
  });

  it('writes a start line and a summary line, nothing else, outside a TTY; null is silent', () => {
    const s = stream(false);
    const bar = new StepProgress('GAN', 3, s);
    for (let i = 0; i < 3; i++) bar.tick(1, `step ${i}`);
    bar.finish('D 0.4, G 2.1');
    expect(s.text).toMatch(/^GAN \(3 steps\)…\nGAN: D 0\.4, G 2\.1 \([\d.]+ s\)\n$/);
    const quiet = new StepProgress('x', 2, null);
    quiet.tick();
    expect(quiet.finish('ok')).toBeGreaterThanOrEqual(0);
  });
});
