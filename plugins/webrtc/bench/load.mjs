// Load for the SFU bench, in its own process so the forwarder's CPU is measured alone: one werift WHIP publisher
// sending synthetic VP8 RTP at a fixed rate and N werift WHEP subscribers. Prints "ready" once all are connected,
// then "received <n>" each second. Usage: node load.mjs <base url> <subscribers> <packets per second>
/* global process, fetch, setTimeout, setInterval, Buffer */
import { MediaStreamTrack, RTCPeerConnection, RtpHeader, RtpPacket } from 'werift';

const [base, fanoutArg, ppsArg] = process.argv.slice(2);
const fanout = Number(fanoutArg);
const pps = Number(ppsArg);
const config = { iceServers: [], iceUseIpv4: false, iceUseIpv6: false, iceAdditionalHostAddresses: ['127.0.0.1'], iceInterfaceAddresses: { udp4: '127.0.0.1' } };

async function exchange(pc, url) {
  await pc.setLocalDescription(await pc.createOffer());
  const res = await fetch(url, { method: 'POST', headers: { 'Content-Type': 'application/sdp' }, body: pc.localDescription.sdp });
  const text = await res.text();
  if (res.status !== 201) throw new Error(`${url}: HTTP ${res.status} ${text}`);
  await pc.setRemoteDescription({ type: 'answer', sdp: text });
  return res.headers;
}

const publisher = new RTCPeerConnection(config);
const track = new MediaStreamTrack({ kind: 'video' });
publisher.addTransceiver(track, { direction: 'sendonly' });
const headers = await exchange(publisher, `${base}/whip`);
const id = headers.get('x-rivulet-publishers') || 'raw';
let received = 0;
const subscribers = [];
for (let i = 0; i < fanout; i++) {
  const pc = new RTCPeerConnection(config);
  pc.addTransceiver('video', { direction: 'recvonly' });
  pc.onTrack.subscribe((t) => t.onReceiveRtp.subscribe(() => received++));
  await exchange(pc, `${base}/whep/${id}`);
  subscribers.push(pc);
}
const all = [publisher, ...subscribers];
const deadline = Date.now() + 10_000;
while (!all.every((pc) => pc.connectionState === 'connected')) {
  if (Date.now() > deadline) throw new Error('load: peers did not connect');
  await new Promise((r) => setTimeout(r, 20));
}
const payload = Buffer.alloc(1000, 0x55);
payload[0] = 0x10;
payload[1] = 0x11;
let seq = 0;
const perTick = Math.max(1, Math.round(pps / 100));
setInterval(() => {
  for (let i = 0; i < perTick; i++) {
    seq++;
    track.writeRtp(new RtpPacket(new RtpHeader({ payloadType: 96, sequenceNumber: seq & 0xffff, timestamp: (seq * 300) >>> 0, ssrc: 0x1234, marker: i === perTick - 1 }), payload));
  }
}, 10);
setInterval(() => process.stdout.write(`received ${received}\n`), 1000);
process.stdout.write('ready\n');
process.on('SIGTERM', () => process.exit(0));
