// Two werift peers that negotiate through SignalChannels and prove media flows: the caller sends RTP, the callee receives it.
import { firstValueFrom, filter, timeout, type Subscription } from 'rxjs';
import { MediaStreamTrack, RTCPeerConnection, RtpHeader, RtpPacket } from 'werift';
import type { SignalChannel, SignalMessage } from '@rivulet/client';

// Loopback only: the machine has no internet and no STUN.
const PEER_CONFIG = {
  iceServers: [],
  iceUseIpv4: false,
  iceUseIpv6: false,
  iceAdditionalHostAddresses: ['127.0.0.1'],
  iceInterfaceAddresses: { udp4: '127.0.0.1' },
};

export interface CallResult {
  readonly offerSdp: string;
  readonly answerSdp: string;
  readonly candidatesSent: number;
  readonly rtpPacketsReceived: number;
}

function wire(pc: RTCPeerConnection, channel: SignalChannel, peer: () => string | undefined, counter: { n: number }): Subscription {
  pc.onIceCandidate.subscribe((candidate) => {
    if (!candidate) return;
    const json = candidate.toJSON();
    counter.n++;
    channel.send({ kind: 'candidate', peer: peer(), candidate: { candidate: json.candidate ?? '', sdpMid: json.sdpMid ?? null, sdpMLineIndex: json.sdpMLineIndex ?? null } });
  });
  return channel.messages.pipe(filter((m) => m.kind === 'candidate')).subscribe((m) => {
    void pc.addIceCandidate(m.candidate as never).catch(() => undefined);
  });
}

/**
 * The caller waits to see the callee (peer-joined), offers a VP8 video track, the callee answers;
 * candidates trickle both ways; resolves once the callee has received RTP from the caller.
 */
export async function werifCall(caller: SignalChannel, callee: SignalChannel, timeoutMs = 15_000): Promise<CallResult> {
  const a = new RTCPeerConnection(PEER_CONFIG);
  const b = new RTCPeerConnection(PEER_CONFIG);
  const subs: Subscription[] = [];
  const counter = { n: 0 };
  let sender: ReturnType<typeof setInterval> | undefined;
  try {
    const ids: { callee?: string; caller?: string } = {};
    const calleeSeen = firstValueFrom(caller.messages.pipe(filter((m) => m.kind === 'peer-joined'), timeout(timeoutMs)));
    const offerArrives = firstValueFrom(callee.messages.pipe(filter((m) => m.kind === 'offer'), timeout(timeoutMs)));
    const answerArrives = firstValueFrom(caller.messages.pipe(filter((m) => m.kind === 'answer'), timeout(timeoutMs)));
    subs.push(wire(a, caller, () => ids.callee, counter), wire(b, callee, () => ids.caller, counter));

    const received = new Promise<number>((resolve) => {
      let count = 0;
      b.onTrack.subscribe((track) => track.onReceiveRtp.subscribe(() => ++count === 5 && resolve(count)));
    });

    ids.callee = (await calleeSeen).peer;
    const track = new MediaStreamTrack({ kind: 'video' });
    a.addTransceiver(track, { direction: 'sendonly' });
    await a.setLocalDescription(await a.createOffer());
    const offerSdp = a.localDescription?.sdp ?? '';
    caller.send({ kind: 'offer', peer: ids.callee, sdp: offerSdp });

    const offer: SignalMessage = await offerArrives;
    ids.caller = offer.peer;
    await b.setRemoteDescription({ type: 'offer', sdp: offer.sdp ?? '' });
    await b.setLocalDescription(await b.createAnswer());
    const answerSdp = b.localDescription?.sdp ?? '';
    callee.send({ kind: 'answer', peer: ids.caller, sdp: answerSdp });

    const answer = await answerArrives;
    await a.setRemoteDescription({ type: 'answer', sdp: answer.sdp ?? '' });

    let seq = 0;
    sender = setInterval(() => {
      const header = new RtpHeader({ payloadType: 96, sequenceNumber: seq++ & 0xffff, timestamp: seq * 3000, marker: true, ssrc: 0x1234 });
      track.writeRtp(new RtpPacket(header, Buffer.from([0x90, 0x80, 0x00, 0x00, 0x01, 0x02])));
    }, 20);
    const rtpPacketsReceived = await Promise.race([
      received,
      new Promise<never>((_r, reject) => setTimeout(() => reject(new Error(`no RTP within ${timeoutMs} ms (ICE: ${a.connectionState}/${b.connectionState})`)), timeoutMs).unref()),
    ]);
    return { offerSdp, answerSdp, candidatesSent: counter.n, rtpPacketsReceived };
  } finally {
    if (sender) clearInterval(sender);
    subs.forEach((s) => s.unsubscribe());
    await Promise.allSettled([a.close(), b.close()]);
  }
}
