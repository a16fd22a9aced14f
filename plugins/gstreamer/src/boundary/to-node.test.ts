import type { FusedInstance } from '@rivulet/core';
import { firstValueFrom, filter, take, toArray, timeout } from 'rxjs';
import { afterEach, describe, expect, it } from 'vitest';
import { createFused, GstRuntimeError } from '../fuser.js';
import { rtpSequenceNumber, rtpPayloadType, type MediaMessage } from '../media.js';
import { toNode } from '../nodes/boundary.js';
import { vp8Encoder } from '../nodes/encoders.js';
import { testVideo } from '../nodes/feeds.js';
import { makeGroup, recordingContext } from '../test-support/group.js';
import { gstChildren } from '../test-support/processes.js';

const running: FusedInstance[] = [];
afterEach(async () => {
  await Promise.all(running.splice(0).map((i) => i.dispose?.()));
});

const vp8ToNode = () =>
  makeGroup(
    [
      { id: 'cam', def: testVideo, params: { width: 160, height: 120, framerate: 15 } },
      { id: 'enc', def: vp8Encoder, params: { targetBitrateKbps: 200, cpuUsed: 8 } },
      { id: 'tn', def: toNode, params: { payloadType: 97 } },
    ],
    ['cam.out -> enc.in', 'enc.out -> tn.in'],
  );

async function start() {
  const ctx = recordingContext(vp8ToNode());
  const instance = await createFused(ctx);
  running.push(instance);
  const out = instance.outputs?.['tn.out'];
  if (!out) throw new Error('no tn.out boundary');
  return { ctx, instance, out };
}

function packets(out: import('rxjs').Observable<unknown>, count: number) {
  return firstValueFrom(out.pipe(take(count), toArray(), timeout(10_000))) as unknown as Promise<MediaMessage[]>;
}

describe('the Node boundary (to-node)', () => {
  it('delivers VP8 RTP packets with the payload type asked for and increasing sequence numbers', async () => {
    const { out } = await start();
    const received = await packets(out, 40);
    for (const p of received) {
      expect(p.kind).toBe('rtp');
      if (p.kind !== 'rtp') continue;
      expect(p.codec).toBe('VP8');
      expect(p.payloadType).toBe(97);
      expect(p.clockRate).toBe(90000);
      expect(rtpPayloadType(p.data)).toBe(97);
    }
    const seqs = received.map((p) => rtpSequenceNumber(p.data));
    for (let i = 1; i < seqs.length; i++) expect((seqs[i]! - seqs[i - 1]! + 65536) % 65536).toBe(1);
  });

  it('starts and stops 20 times in a row leaving no gst-launch process behind', async () => {
    const before = gstChildren().length;
    for (let i = 0; i < 20; i++) {
      const { instance, out } = await start();
      await packets(out, 1);
      expect(gstChildren().length).toBe(before + 1);
      await instance.dispose?.();
      running.splice(running.indexOf(instance), 1);
    }
    expect(gstChildren().length).toBe(before);
  }, 90_000);

  it('reports a node error naming the pipeline when the child is killed with SIGKILL, and a restart flows again', async () => {
    const { ctx, instance, out } = await start();
    await packets(out, 1);
    const [pid] = gstChildren();
    expect(pid).toBeDefined();
    process.kill(pid!, 'SIGKILL');
    const deadline = Date.now() + 5_000;
    while (!ctx.failures.length && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    expect(ctx.failures[0]).toBeInstanceOf(GstRuntimeError);
    expect(String((ctx.failures[0] as Error).message)).toMatch(/killed by SIGKILL/);
    await instance.dispose?.();
    running.splice(running.indexOf(instance), 1);
    // What the runtime's restart policy does: create the group again.
    const again = await start();
    const flowing = await packets(again.out.pipe(filter((m) => (m as MediaMessage).kind === 'rtp')), 5);
    expect(flowing).toHaveLength(5);
  });
});
