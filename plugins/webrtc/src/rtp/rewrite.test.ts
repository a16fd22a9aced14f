import { describe, expect, it } from 'vitest';
import { MAX_KEPT_GAP, RtpRewriter } from './rewrite.js';

const U16 = 0x1_0000;
const step = (a: number, b: number) => (b - a + U16) % U16;

describe('RtpRewriter', () => {
  it('keeps small losses visible so the receiver can NACK them', () => {
    const r = new RtpRewriter(90_000, 100);
    r.switchSource('a');
    const a = { ...r.rewrite(5000, 1000) };
    const b = { ...r.rewrite(5003, 4000) };
    expect(step(a.sequenceNumber, b.sequenceNumber)).toBe(3);
    expect(b.timestamp - a.timestamp).toBe(3000);
  });

  it('folds a long gap across the 16-bit wrap into a step of one', () => {
    const r = new RtpRewriter(90_000, 65_530);
    r.switchSource('a');
    let last = { ...r.rewrite(65_400, 0) };
    const next = r.rewrite((65_400 + MAX_KEPT_GAP + 100) % U16, 900_000)!;
    expect(step(last.sequenceNumber, next.sequenceNumber)).toBe(1);
    last = next;
    expect(step(last.sequenceNumber, r.rewrite((65_400 + MAX_KEPT_GAP + 101) % U16, 903_000)!.sequenceNumber)).toBe(1);
  });

  it('continues one sequence and a forward timestamp when the source switches', () => {
    const r = new RtpRewriter(90_000, 10);
    r.switchSource('a');
    const a = { ...r.rewrite(40_000, 7, 1000) };
    r.switchSource('b');
    const b = { ...r.rewrite(3, 123_456_789, 1100) };
    expect(step(a.sequenceNumber, b.sequenceNumber)).toBe(1);
    expect(b.timestamp - a.timestamp).toBe(9000);
    const c = { ...r.rewrite(4, 123_456_789 + 3000, 1133) };
    expect(step(b.sequenceNumber, c.sequenceNumber)).toBe(1);
    expect(c.timestamp - b.timestamp).toBe(3000);
  });

  it('maps a reordered packet back into its place', () => {
    const r = new RtpRewriter(90_000, 0);
    r.switchSource('a');
    const a = { ...r.rewrite(10, 0) };
    r.rewrite(12, 0);
    expect({ ...r.rewrite(11, 0) }.sequenceNumber).toBe(a.sequenceNumber + 1);
  });
});
