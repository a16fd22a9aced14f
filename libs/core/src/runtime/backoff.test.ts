import { describe, expect, it } from 'vitest';
import { Backoff } from './backoff.js';

describe('Backoff', () => {
  it('doubles the delay from the initial one up to the cap', () => {
    const backoff = new Backoff({ initialDelayMs: 100, maxDelayMs: 500 });
    const delays = Array.from({ length: 5 }, () => backoff.next(0)).map((s) => ('delayMs' in s ? s.delayMs : -1));
    expect(delays).toEqual([100, 200, 400, 500, 500]);
  });

  it('starts again from the initial delay after a run longer than the cap', () => {
    const backoff = new Backoff({ initialDelayMs: 100, maxDelayMs: 500 });
    backoff.next(0);
    backoff.next(0);
    expect(backoff.next(600)).toEqual({ attempt: 1, delayMs: 100 });
  });

  it('gives up after maxAttempts restarts in a row', () => {
    const backoff = new Backoff({ initialDelayMs: 100, maxDelayMs: 500, maxAttempts: 2 });
    expect(backoff.next(0)).toEqual({ attempt: 1, delayMs: 100 });
    expect(backoff.next(0)).toEqual({ attempt: 2, delayMs: 200 });
    expect(backoff.next(0)).toEqual({ giveUp: true, attempts: 2 });
  });
});
