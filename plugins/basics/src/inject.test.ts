import { runNode } from '@rivulet/core/testing';
import { describe, expect, it } from 'vitest';
import { injectNode } from './inject.js';

describe('basics/inject', () => {
  it('emits its payload once and completes when no interval is set', async () => {
    const { outputs } = await runNode(injectNode, { params: { payload: { hello: 'world' } } });
    expect(outputs.out).toEqual([{ hello: 'world' }]);
  });

  it('emits null when no payload is given', async () => {
    const { outputs } = await runNode(injectNode, {});
    expect(outputs.out).toEqual([null]);
  });

  it('emits on an interval up to its limit, computing each message from n and time', async () => {
    const before = Date.now();
    const { outputs } = await runNode(injectNode, { params: { intervalMs: 20, limit: 3, expression: '{ n, even: n % 2 == 0, time }' } });
    const elapsed = Date.now() - before;
    const messages = outputs.out as { n: number; even: boolean; time: number }[];
    expect(messages.map((m) => [m.n, m.even])).toEqual([
      [1, false],
      [2, true],
      [3, false],
    ]);
    expect(messages[2]!.time - messages[0]!.time).toBeGreaterThanOrEqual(35);
    expect(messages[0]!.time).toBeGreaterThanOrEqual(before);
    expect(elapsed).toBeGreaterThanOrEqual(40);
  });

  it('keeps emitting on its interval until stopped when there is no limit', async () => {
    const { outputs } = await runNode(injectNode, { params: { intervalMs: 10, payload: 1 }, take: { out: 5 } });
    expect(outputs.out).toEqual([1, 1, 1, 1, 1]);
  });
});
