import { runNode } from '@rivulet/core/testing';
import { concat, delay, map, merge, of, timer } from 'rxjs';
import { describe, expect, it } from 'vitest';
import { debounceNode } from './debounce.js';
import { delayNode } from './delay.js';
import { throttleNode } from './throttle.js';

describe('basics/throttle', () => {
  it('passes the first message at once, the last of the interval at its end, then a later one at once', async () => {
    // 1 2 3 at t=0, 4 at t=250; interval 100 → 1 (leading), 3 (trailing at 100), 4 (leading again).
    const feed = merge(of(1, 2, 3), timer(250).pipe(map(() => 4)));
    const { outputs } = await runNode(throttleNode, { params: { intervalMs: 100 }, inputs: { in: feed }, timeoutMs: 3000 });
    expect(outputs.out).toEqual([1, 3, 4]);
  });
});

describe('basics/debounce', () => {
  it('passes only the last message of each burst', async () => {
    const feed = concat(of('a1', 'a2', 'a3'), of('b1', 'b2').pipe(delay(150)), timer(150).pipe(map(() => 'c')));
    const { outputs } = await runNode(debounceNode, { params: { ms: 50 }, inputs: { in: feed }, timeoutMs: 3000 });
    expect(outputs.out).toEqual(['a3', 'b2', 'c']);
  });
});

describe('basics/delay', () => {
  it('passes every message on after the delay, in order', async () => {
    const arrivals: number[] = [];
    const sentAt = Date.now();
    const { outputs } = await runNode(delayNode, {
      params: { ms: 80 },
      inputs: { in: of(1, 2, 3) },
      timeoutMs: 3000,
    });
    arrivals.push(Date.now() - sentAt);
    expect(outputs.out).toEqual([1, 2, 3]);
    expect(arrivals[0]).toBeGreaterThanOrEqual(75);
  });
});
