import { describe, expect, it } from 'vitest';
import { WarningLimiter } from './warnings.js';

describe('WarningLimiter', () => {
  it('logs the first of identical warnings, then a count at most once per window, and the rest on flush', () => {
    let now = 0;
    const lines: string[] = [];
    const limiter = new WarningLimiter({ log: (l) => lines.push(l), windowMs: 10_000, now: () => now });
    for (let i = 0; i < 30; i++, now += 1_000) limiter.warn('w: reconnecting');
    limiter.warn('w: other');
    expect(lines).toEqual(['w: reconnecting', 'w: reconnecting … repeated 10 times in 10 s', 'w: reconnecting … repeated 10 times in 10 s', 'w: other']);
    limiter.flush();
    expect(lines.slice(4)).toEqual(['w: reconnecting … repeated 9 times in 10 s']);
    limiter.flush();
    expect(lines).toHaveLength(5);
  });
});
