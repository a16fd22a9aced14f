import { describe, expect, it } from 'vitest';
import { share } from 'rxjs';
import { percentile } from './stats.js';
import { Workload } from './workload.js';

describe('bench workload', () => {
  it('takes percentiles by rank', () => {
    const sorted = Array.from({ length: 100 }, (_, i) => i + 1);
    expect(percentile(sorted, 50)).toBe(50);
    expect(percentile(sorted, 99)).toBe(99);
    expect(percentile([7], 99)).toBe(7);
  });

  it('counts every delivery to every consumer and which ones passed the check', async () => {
    const frames = [Buffer.alloc(4), Buffer.alloc(4)];
    const workload = new Workload({
      messages: 2500,
      consumers: 3,
      sampleEvery: 10,
      make: (seq) => ({ seq, data: frames[seq % 2]! }),
      check: (m) => m.data === frames[m.seq % 2],
      timeoutMs: 5000,
    });
    const shared = workload.source().pipe(share());
    const subscriptions = [0, 1, 2].map(() => shared.subscribe(workload.receive));
    try {
      const result = await workload.finished('test');
      expect(result.delivered).toBe(7500);
      expect(result.ok).toBe(7500);
      expect(result.samples).toBe(750);
      expect(result.msgsPerSec).toBeGreaterThan(0);
    } finally {
      for (const s of subscriptions) s.unsubscribe();
    }
  });

  it('says how far it got when the deliveries do not all arrive in time', async () => {
    const workload = new Workload({ messages: 10, consumers: 2, sampleEvery: 1, make: (seq) => ({ seq }), check: () => true, timeoutMs: 200 });
    const subscription = workload.source().subscribe(workload.receive);
    try {
      await expect(workload.finished('half')).rejects.toThrow('half: 10 of 20 deliveries after 200 ms');
    } finally {
      subscription.unsubscribe();
    }
  });
});
