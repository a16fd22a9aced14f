import { runNode } from '@rivulet/core/testing';
import { describe, expect, it } from 'vitest';
import { isMediaMessage } from '@rivulet/core';
import { testVideo } from '../nodes/feeds.js';

describe('defineGstNode', () => {
  it('runs a node on its own (no fuser in the catalogue) as a pipeline of one, its output crossing into Node', async () => {
    const result = await runNode(testVideo, { params: { width: 64, height: 48, framerate: 15 }, take: { out: 3 }, timeoutMs: 10_000 });
    const frames = result.outputs.out;
    expect(frames).toHaveLength(3);
    for (const frame of frames) {
      expect(isMediaMessage(frame) && frame.kind === 'frame' && frame.codec === 'RAW').toBe(true);
      // I420: width × height × 1.5 bytes.
      expect(isMediaMessage(frame) && frame.data.length).toBe(64 * 48 * 1.5);
    }
    expect(result.statuses.map((s) => s.state)).toContain('running');
  });
});
