import { describe, expect, it } from 'vitest';
import { listenerStatus, srtFigures } from './feeds.js';

const added = (address: string) => ({ element: 'cam__srt', signal: 'caller-added', args: [0, address] });
const removed = (address: string) => ({ element: 'cam__srt', signal: 'caller-removed', args: [0, address] });

describe('an outgoing feed\'s status', () => {
  it('stays connected when a restarted receiver connects before SRT times out its dead self', () => {
    const status = listenerStatus();
    expect(status(added('127.0.0.1:4000'))?.text).toBe('connected (127.0.0.1:4000)');
    expect(status(added('127.0.0.1:4001'))?.text).toBe('connected (127.0.0.1:4000, 127.0.0.1:4001)');
    expect(status(removed('127.0.0.1:4000'))?.text).toBe('connected (127.0.0.1:4001)');
    expect(status(removed('127.0.0.1:4001'))?.text).toBe('waiting for peer');
  });

  it('says why a caller was refused while no peer is connected, and ignores other signals', () => {
    const status = listenerStatus();
    expect(status({ element: 'cam__srt', signal: 'caller-rejected', args: ['127.0.0.1:4002', 'bad passphrase'] })?.text).toBe('waiting for peer (refused 127.0.0.1:4002: bad passphrase)');
    expect(status({ element: 'cam__srt', signal: 'something-else', args: [] })).toBeUndefined();
  });
});

describe('SRT figures', () => {
  it('reads rate, round trip and loss of the direction that matters, zero for what is missing', () => {
    const link = { 'rtt-ms': 0.25, 'send-rate-mbps': 1.5, 'receive-rate-mbps': 0.75, 'packets-sent-lost': 3, 'packets-received-lost': 4, 'bytes-received': 9000 };
    expect(srtFigures(link, 'send')).toEqual({ 'srt.rttMs': 0.25, 'srt.kbps': 1500, 'srt.lostPackets': 3, 'srt.retransmittedPackets': 0 });
    expect(srtFigures(link, 'receive')).toEqual({ 'srt.rttMs': 0.25, 'srt.kbps': 750, 'srt.lostPackets': 4, 'srt.retransmittedPackets': 0, 'srt.bytesReceived': 9000 });
    expect(srtFigures(undefined, 'send')['srt.kbps']).toBe(0);
  });
});
