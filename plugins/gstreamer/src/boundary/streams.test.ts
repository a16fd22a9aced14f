import { PassThrough } from 'node:stream';
import { from, Subject } from 'rxjs';
import { describe, expect, it } from 'vitest';
import { GdpParser, type GdpPacket } from '../gst/gdp.js';
import type { MediaFrame } from '@rivulet/core';
import { INPUT_HIGH_WATER_BYTES, writeBoundary, type BoundaryCounters } from './streams.js';

const frame = (i: number): MediaFrame => ({ kind: 'frame', codec: 'VP8', media: 'video', caps: 'video/x-vp8', keyframe: i === 0, pts: i * 1e6, data: Buffer.alloc(1024 * 1024, i) });

describe('writeBoundary', () => {
  it('drops messages instead of buffering without limit when GStreamer does not keep up', () => {
    const stalled = new PassThrough(); // nobody reads: everything written waits in Node
    const counters: BoundaryCounters = { messages: 0, bytes: 0 };
    writeBoundary(stalled, from(Array.from({ length: 40 }, (_, i) => frame(i))), counters, (e) => {
      throw e;
    });
    expect(counters.drops).toBeGreaterThan(0);
    expect(counters.messages + (counters.drops ?? 0)).toBe(40);
    expect(stalled.writableLength).toBeLessThanOrEqual(INPUT_HIGH_WATER_BYTES + 2 * 1024 * 1024);
  });

  it('writes stream-start, caps and segment before the first buffer, with its timestamp and keyframe flag', () => {
    const pipe = new PassThrough();
    const packets: GdpPacket[] = [];
    const parser = new GdpParser();
    pipe.on('data', (chunk: Buffer) => parser.push(chunk, (p) => packets.push(p)));
    writeBoundary(pipe, from([frame(0), frame(1)]), { messages: 0, bytes: 0 }, (e) => {
      throw e;
    });
    expect(packets.map((p) => p.type)).toEqual(['event', 'caps', 'event', 'buffer', 'buffer']);
    const [first, second] = packets.filter((p) => p.type === 'buffer');
    expect(first?.type === 'buffer' && [first.pts, first.flags]).toEqual([0, 0]);
    expect(second?.type === 'buffer' && [second.pts, second.flags]).toEqual([1e6, 0x2000]);
  });

  it('stamps untimed messages with their arrival in the pipeline\'s running time when the clock is known, never stepping back', () => {
    const stamps = (baseTimes: (bigint | undefined)[]): number[] => {
      const pipe = new PassThrough();
      const packets: GdpPacket[] = [];
      const parser = new GdpParser();
      pipe.on('data', (chunk: Buffer) => parser.push(chunk, (p) => packets.push(p)));
      const input = new Subject<MediaFrame>();
      let base: bigint | undefined;
      writeBoundary(pipe, input, { messages: 0, bytes: 0 }, (e) => {
        throw e;
      }, () => base);
      for (const next of baseTimes) {
        base = next;
        input.next({ kind: 'frame', codec: 'RAW', media: 'video', caps: 'video/x-raw', keyframe: true, data: Buffer.alloc(16) });
      }
      return packets.flatMap((p) => (p.type === 'buffer' && p.pts !== undefined ? [p.pts] : []));
    };
    const now = process.hrtime.bigint();
    // Known from the start: running time (the pipeline has played 5 s).
    const [first] = stamps([now - 5_000_000_000n]);
    expect(first).toBeGreaterThanOrEqual(5e9);
    expect(first).toBeLessThan(6e9);
    // Known later, and earlier than the first message: the timeline moves forward onto running time.
    const later = stamps([undefined, now - 5_000_000_000n]);
    expect(later[0]).toBeLessThan(1e9);
    expect(later[1]).toBeGreaterThanOrEqual(5e9);
    // Known later but after the first message (the pipeline started playing since): keep counting
    // from the first message rather than step back.
    const kept = stamps([undefined, process.hrtime.bigint() + 1_000_000_000n, undefined]);
    expect(kept[1]).toBeGreaterThanOrEqual(kept[0]!);
    expect(kept[1]).toBeLessThan(1e9);
    expect(kept[2]).toBeGreaterThanOrEqual(kept[1]!);
  });
});
