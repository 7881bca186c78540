import { describe, expect, it } from 'vitest';
import { ProgressBar } from '../index.js';

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
