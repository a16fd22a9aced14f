import { describe, expect, it } from 'vitest';
import { GdpParser, gdpBuffer, gdpStreamStart, type GdpPacket } from './gdp.js';

function parseAll(bytes: Buffer, chunkSize: number): GdpPacket[] {
  const parser = new GdpParser();
  const packets: GdpPacket[] = [];
  for (let i = 0; i < bytes.length; i += chunkSize) parser.push(bytes.subarray(i, i + chunkSize), (p) => packets.push(p));
  return packets;
}

describe('GdpParser', () => {
  const payload = Buffer.alloc(200_000, 7);
  const stream = Buffer.concat([gdpStreamStart('video/x-vp8', 's1'), ...gdpBuffer(payload, { pts: 33_000_000, duration: 33_333_333, flags: 0x2000 }), ...gdpBuffer(Buffer.from('tail'), {})]);

  it('reads the same packets whatever the chunk boundaries', () => {
    for (const size of [1, 61, 62, 63, 4096, 65_536, stream.length]) {
      const packets = parseAll(stream, size);
      expect(packets.map((p) => p.type)).toEqual(['event', 'caps', 'event', 'buffer', 'buffer']);
      const big = packets[3]!;
      expect(big.type === 'buffer' && big.data.equals(payload)).toBe(true);
      expect(big.type === 'buffer' && [big.pts, big.duration, big.flags, big.dts]).toEqual([33_000_000, 33_333_333, 0x2000, undefined]);
      expect(packets[1]).toEqual({ type: 'caps', caps: 'video/x-vp8' });
    }
  });
});
