// webrtc/peer: a werift peer in the graph, negotiating through any signalling client's signal/* ports.
import { defineNode, port } from '@rivulet/core';
import { Subject, filter } from 'rxjs';
import { z } from 'zod';
import { isRtpPacket as isRtpMessage, KEYFRAME_PORT_TYPE, type KeyframeRequest, type RtpPacket as RtpMessage } from '@rivulet/core';
import { isSignalMessage, type SignalMessage } from '../signal.js';
import { PeerSession } from './peer-session.js';

const iceServer = z.object({ urls: z.string(), username: z.string().optional(), credential: z.string().optional() });

export const peerParams = z.object({
  /** offerer: calls `peer` (or whoever joins first); answerer: waits for an offer. */
  role: z.enum(['offerer', 'answerer']).default('offerer'),
  /** The remote peer id on the signalling channel; empty = the first peer that joins or offers. */
  peer: z.string().default(''),
  videoCodec: z.enum(['VP8', 'H264']).default('VP8'),
  audio: z.boolean().default(false),
  host: z.string().default('127.0.0.1'),
  iceServers: z.array(iceServer).default([]),
});

export const peerNode = defineNode({
  type: 'webrtc/peer',
  title: 'WebRTC peer',
  category: 'transports',
  description: 'A werift peer: sends RTP from its video/audio inputs, emits received RTP, and forwards RTCP PLI as key-frame requests.',
  params: peerParams,
  inputs: {
    video: port<RtpMessage>('any', { live: true, description: 'RTP packets to send (e.g. from gstreamer/to-node)' }),
    audio: port<RtpMessage>('any', { live: true, description: 'Opus RTP packets to send' }),
    signal: port<SignalMessage>('signal/*', { description: 'from a signalling client: offers, answers, candidates, presence' }),
  },
  outputs: {
    video: port<RtpMessage>('rtp/*', { live: true, description: 'received video RTP' }),
    audio: port<RtpMessage>('rtp/*', { live: true, description: 'received audio RTP' }),
    signal: port<SignalMessage>('signal/*', { description: 'to the signalling client' }),
    keyframe: port<KeyframeRequest>(KEYFRAME_PORT_TYPE, { description: 'the remote asked for a key frame (RTCP PLI)' }),
  },
  create(ctx) {
    const p = ctx.params;
    const signalOut = new Subject<SignalMessage>();
    const video = new Subject<RtpMessage>();
    const audio = new Subject<RtpMessage>();
    const keyframe = new Subject<KeyframeRequest>();
    let session: PeerSession | undefined;
    let target = p.peer || undefined;

    const open = (peer: string | undefined): PeerSession => {
      void session?.close();
      target = peer;
      ctx.status('starting', peer ? `negotiating with ${peer}` : 'negotiating');
      session = new PeerSession(
        {
          ice: { host: p.host, iceServers: p.iceServers },
          videoCodec: p.videoCodec,
          audio: p.audio,
          peer,
          send: (m) => signalOut.next(m),
          onRtp: (kind, m) => (kind === 'video' ? video : audio).next(m),
          onKeyframeRequest: (r) => keyframe.next(r),
          onState: (state) => {
            if (state === 'connected') {
              ctx.status('running', `connected${peer ? ` to ${peer}` : ''}`);
              session?.requestKeyframe();
            } else if (state === 'failed') ctx.status('running', `call ${peer ?? ''} failed; waiting`);
          },
        },
        p.role,
      );
      return session;
    };

    const fromPeer = (m: SignalMessage) => target === undefined || m.peer === undefined || m.peer === target;
    const handle = async (m: SignalMessage): Promise<void> => {
      // The remote (or the signalling server) refused something we sent: say so where people look, and keep waiting.
      if (m.kind === 'error') {
        const who = m.peer === undefined ? (m.code === 'server' ? 'the signalling server' : 'the remote') : m.peer;
        ctx.log.warn(`${who} reported ${m.code ?? 'error'}: ${m.reason ?? ''}`, { peer: m.peer, code: m.code });
        ctx.status('running', `${who} reported ${m.code ?? 'error'}: ${(m.reason ?? '').slice(0, 120)}`);
        return;
      }
      if (m.kind === 'peer-joined' && p.role === 'offerer' && (!session || session.closed) && (p.peer === '' || m.peer === p.peer)) {
        await open(m.peer).offer();
      } else if (m.kind === 'offer' && p.role === 'answerer' && fromPeer(m)) {
        await open(m.peer ?? target).receive(m);
      } else if ((m.kind === 'peer-left' || m.kind === 'bye') && session && fromPeer(m)) {
        await session.close();
        session = undefined;
        ctx.status('running', 'waiting for a peer');
      } else if (session && fromPeer(m)) {
        await session.receive(m);
      } else if (m.kind === 'answer' || m.kind === 'candidate') {
        signalOut.next({ kind: 'error', ...(m.peer ? { peer: m.peer } : {}), code: 'no-call', reason: `no call with ${m.peer ?? 'this peer'}: ${m.kind} ignored` });
      }
    };

    let queue = Promise.resolve();
    const subs = [
      ctx.inputs.signal.pipe(filter(isSignalMessage)).subscribe((m) => {
        queue = queue.then(() => handle(m)).catch((error: unknown) => ctx.log.warn(`signal ${m.kind} from ${m.peer ?? '?'} failed`, error));
      }),
      ctx.inputs.video.pipe(filter(isRtpMessage)).subscribe((m) => session?.sendRtp('video', m)),
      ctx.inputs.audio.pipe(filter(isRtpMessage)).subscribe((m) => session?.sendRtp('audio', m)),
    ];
    ctx.status('running', 'waiting for a peer');
    // An offerer with a fixed peer does not wait for presence: it calls at once.
    if (p.role === 'offerer' && p.peer) queue = queue.then(() => open(p.peer).offer()).catch((error: unknown) => ctx.fail(error));

    return {
      outputs: { signal: signalOut.asObservable(), video: video.asObservable(), audio: audio.asObservable(), keyframe: keyframe.asObservable() },
      async dispose() {
        subs.forEach((s) => s.unsubscribe());
        await session?.close();
        [signalOut, video, audio, keyframe].forEach((s) => s.complete());
      },
    };
  },
});
