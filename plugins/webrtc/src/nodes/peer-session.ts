// One werift call driven by SignalMessages: sends RTP from the graph, emits received RTP, reports key-frame requests.
import { MediaStreamTrack, RTCPeerConnection, RtpPacket, type RTCRtpTransceiver } from 'werift';
import { defaultCodecs, peerConfig, stripMdnsCandidates, sdpProblem, usableCandidate, type IceOptions } from '../ice.js';
import type { KeyframeRequest, RtpPacket as RtpMessage } from '@rivulet/core';
import { onKeyframeRequest } from '../rtp/feedback.js';
import { RtpRewriter } from '../rtp/rewrite.js';
import { candidateInit } from '../sfu/peer.js';
import type { SignalMessage } from '../signal.js';

export type VideoCodec = 'VP8' | 'H264';

export interface PeerSessionOptions {
  readonly ice: IceOptions;
  readonly videoCodec: VideoCodec;
  readonly audio: boolean;
  readonly peer: string | undefined;
  send(message: SignalMessage): void;
  onRtp(kind: 'video' | 'audio', message: RtpMessage): void;
  onKeyframeRequest(request: KeyframeRequest): void;
  onState(state: string): void;
}

const noop = (): void => undefined;

export class PeerSession {
  readonly pc: RTCPeerConnection;
  private video: RTCRtpTransceiver | undefined;
  private audio: RTCRtpTransceiver | undefined;
  private readonly rewriters = new Map<string, RtpRewriter>();
  private awaitingAnswer = false;
  private closedFlag = false;
  private heldCandidates: SignalMessage[] | undefined = [];

  constructor(
    private readonly options: PeerSessionOptions,
    role: 'offerer' | 'answerer',
  ) {
    const codecs = defaultCodecs();
    this.pc = new RTCPeerConnection({
      ...peerConfig(options.ice),
      codecs: { video: codecs.video.filter((c) => c.mimeType.toUpperCase() === `VIDEO/${options.videoCodec}`), audio: codecs.audio },
    });
    if (role === 'offerer') {
      this.video = this.pc.addTransceiver(new MediaStreamTrack({ kind: 'video' }), { direction: 'sendrecv' });
      if (options.audio) this.audio = this.pc.addTransceiver(new MediaStreamTrack({ kind: 'audio' }), { direction: 'sendrecv' });
    }
    // Candidates found while the description is being made wait for it: a candidate before its offer is refused by browsers.
    this.pc.onIceCandidate.subscribe((c) => {
      if (!c) return;
      const message: SignalMessage = { kind: 'candidate', candidate: candidateInit(c) };
      if (this.heldCandidates) this.heldCandidates.push(message);
      else this.signal(message);
    });
    this.pc.connectionStateChange.subscribe((s) => options.onState(s));
    this.pc.onTrack.subscribe((track) => {
      const kind = track.kind === 'audio' ? 'audio' : 'video';
      let first = true;
      track.onReceiveRtp.subscribe((packet) => {
        // The sender's first key frame may be long gone by the time we connect: ask for one as soon as its SSRC is known.
        if (first && kind === 'video') {
          first = false;
          this.requestKeyframe();
        }
        const codec = track.codec;
        options.onRtp(kind, {
          kind: 'rtp',
          codec: (codec?.mimeType.split('/')[1] ?? '').toUpperCase(),
          payloadType: packet.header.payloadType,
          clockRate: codec?.clockRate ?? (kind === 'audio' ? 48_000 : 90_000),
          media: kind,
          data: packet.serialize(),
        });
      });
    });
    for (const t of [this.video, this.audio]) if (t) this.watchFeedback(t);
  }

  get closed(): boolean {
    return this.closedFlag;
  }

  async offer(): Promise<void> {
    await this.pc.setLocalDescription(await this.pc.createOffer());
    this.awaitingAnswer = true;
    this.signal({ kind: 'offer', sdp: this.pc.localDescription?.sdp ?? '' });
    this.releaseCandidates();
  }

  /** Handles one inbound message; problems go back to that peer as an `error` message, never to the graph. */
  async receive(message: SignalMessage): Promise<void> {
    if (this.closedFlag) return;
    if (message.kind === 'candidate') {
      if (message.candidate && usableCandidate(message.candidate.candidate)) await this.pc.addIceCandidate(message.candidate as never).catch(noop);
      return;
    }
    if (message.kind !== 'offer' && message.kind !== 'answer') return;
    const problem = sdpProblem(message.sdp);
    if (problem) return this.refuse('bad-sdp', `malformed SDP ${message.kind}: ${problem}`);
    if (message.kind === 'answer' && !this.awaitingAnswer) return this.refuse('stale-answer', 'answer without a pending offer (stale or duplicate)');
    try {
      await this.pc.setRemoteDescription({ type: message.kind, sdp: stripMdnsCandidates(message.sdp ?? '') });
    } catch (error) {
      return this.refuse('sdp-refused', `SDP ${message.kind} refused: ${error instanceof Error ? error.message : String(error)}`);
    }
    if (message.kind === 'answer') {
      this.awaitingAnswer = false;
      return;
    }
    this.adoptTransceivers();
    await this.pc.setLocalDescription(await this.pc.createAnswer());
    this.signal({ kind: 'answer', sdp: this.pc.localDescription?.sdp ?? '' });
    this.releaseCandidates();
  }

  private releaseCandidates(): void {
    const held = this.heldCandidates ?? [];
    this.heldCandidates = undefined;
    held.forEach((m) => this.signal(m));
  }

  /** An answerer sends on the m-lines the offer made for it. */
  private adoptTransceivers(): void {
    for (const t of this.pc.getTransceivers()) {
      if (t.kind === 'video' && !this.video) this.video = t;
      else if (t.kind === 'audio' && !this.audio && this.options.audio) this.audio = t;
      else continue;
      if (t.direction === 'recvonly' || t.direction === 'inactive') t.setDirection(t.direction === 'recvonly' ? 'sendrecv' : 'sendonly');
      this.watchFeedback(t);
    }
  }

  private watchFeedback(t: RTCRtpTransceiver): void {
    onKeyframeRequest(t, () => this.options.onKeyframeRequest({ kind: 'keyframe', reason: 'pli', ...(this.options.peer ? { peer: this.options.peer } : {}) }));
  }

  /** Sends one RTP message from the graph on the transceiver of its kind, with continuous sequence numbers. */
  sendRtp(kind: 'video' | 'audio', message: RtpMessage): void {
    const t = kind === 'video' ? this.video : this.audio;
    if (!t || this.closedFlag) return;
    let packet: RtpPacket;
    try {
      packet = RtpPacket.deSerialize(message.data);
    } catch {
      return;
    }
    let rewriter = this.rewriters.get(kind);
    if (!rewriter) this.rewriters.set(kind, (rewriter = new RtpRewriter(message.clockRate)));
    rewriter.switchSource(packet.header.ssrc);
    const mapped = rewriter.rewrite(packet.header.sequenceNumber, packet.header.timestamp);
    packet.header.sequenceNumber = mapped.sequenceNumber;
    packet.header.timestamp = mapped.timestamp;
    t.sender.sendRtp(packet).catch(noop);
  }

  /** Asks the remote sender for a key frame (werift never does by itself). */
  requestKeyframe(): void {
    for (const t of this.pc.getTransceivers()) {
      const ssrc = t.receiver.track?.ssrc;
      if (ssrc !== undefined && t.kind === 'video') void t.receiver.sendRtcpPLI(ssrc).catch(noop);
    }
  }

  private refuse(code: string, reason: string): void {
    this.signal({ kind: 'error', code, reason });
  }

  private signal(message: SignalMessage): void {
    this.options.send(this.options.peer === undefined ? message : { ...message, peer: this.options.peer });
  }

  async close(): Promise<void> {
    if (this.closedFlag) return;
    this.closedFlag = true;
    await this.pc.close().catch(noop);
  }
}

export const videoCodecs: readonly VideoCodec[] = ['VP8', 'H264'];
