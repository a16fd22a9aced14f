import { runGraph } from '@rivulet/core/testing';
import { ReplaySubject, interval, map } from 'rxjs';
import { MediaStreamTrack, RTCPeerConnection, RtpHeader, RtpPacket } from 'werift';
import { describe, expect, it } from 'vitest';
import { peerConfig } from '../ice.js';
import webrtc from '../index.js';
import { onKeyframeRequest } from '../rtp/feedback.js';
import type { KeyframeRequest, RtpPacket as RtpMessage } from '@rivulet/core';
import type { SignalMessage } from '../signal.js';
import { vp8Payload } from '../test-support/werift-clients.js';

describe('webrtc/peer media and RTCP', () => {
  it('answers a werift caller, emits the RTP it receives, asks it for a key frame (PLI) once its media arrives, and reports the caller’s PLI on keyframe', async () => {
    const remote = new RTCPeerConnection(peerConfig());
    const toNode = new ReplaySubject<SignalMessage>();
    const remoteTrack = new MediaStreamTrack({ kind: 'video' });
    const t = remote.addTransceiver(remoteTrack, { direction: 'sendrecv' });
    let plisAtRemote = 0;
    onKeyframeRequest(t, () => plisAtRemote++);
    let received = 0;
    remote.onTrack.subscribe((track) =>
      track.onReceiveRtp.subscribe(() => {
        // Ask the node for a key frame once media flows, as a decoder that lost sync would.
        if (++received === 5 && track.ssrc !== undefined) void t.receiver.sendRtcpPLI(track.ssrc);
      }),
    );
    let seq = 0;
    const sender = setInterval(() => remoteTrack.writeRtp(new RtpPacket(new RtpHeader({ payloadType: 96, sequenceNumber: seq++, timestamp: seq * 3000, ssrc: 7 }), vp8Payload(seq === 1))), 10);
    let handled = 0;
    let chain = Promise.resolve();
    try {
      await remote.setLocalDescription(await remote.createOffer());
      const outgoing = interval(10).pipe(
        map((i): RtpMessage => ({ kind: 'rtp', codec: 'VP8', payloadType: 96, clockRate: 90_000, media: 'video', data: new RtpPacket(new RtpHeader({ payloadType: 96, sequenceNumber: i, timestamp: i * 3000, ssrc: 9 }), vp8Payload(i % 30 === 0)).serialize() })),
      );
      const result = await runGraph(
        { rivulet: 1, id: 'rtcp', nodes: [{ id: 'peer', type: 'webrtc/peer', params: { role: 'answerer' } }], edges: [] },
        {
          plugins: [webrtc],
          feed: { 'peer.signal': toNode, 'peer.video': outgoing },
          collect: ['peer.signal', 'peer.video', 'peer.keyframe'],
          until: (progress) => {
            if (handled === 0) {
              handled = 1;
              toNode.next({ kind: 'offer', peer: 'caller', sdp: remote.localDescription?.sdp ?? '' });
            }
            const signals = (progress.outputs['peer.signal'] ?? []) as SignalMessage[];
            for (; handled - 1 < signals.length; handled++) {
              const m = signals[handled - 1]!;
              if (m.kind === 'answer') chain = chain.then(() => remote.setRemoteDescription({ type: 'answer', sdp: m.sdp ?? '' }));
            }
            return (progress.outputs['peer.keyframe']?.length ?? 0) > 0 && (progress.outputs['peer.video']?.length ?? 0) > 10 && plisAtRemote > 0;
          },
          timeoutMs: 10_000,
        },
      );
      const video = result.outputs['peer.video'] as RtpMessage[];
      expect(video[0]).toMatchObject({ kind: 'rtp', codec: 'VP8', clockRate: 90_000, media: 'video' });
      expect((result.outputs['peer.keyframe'] as KeyframeRequest[])[0]).toMatchObject({ kind: 'keyframe', reason: 'pli' });
      expect(received).toBeGreaterThan(5);
      expect(plisAtRemote).toBeGreaterThan(0);
    } finally {
      clearInterval(sender);
      toNode.complete();
      await remote.close();
    }
  }, 20_000);
});
