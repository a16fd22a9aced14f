// The PATCH bodies a trickling client writes and the Link headers it reads.
import { describe, expect, it } from 'vitest';
import { sdpFragment } from './trickle.js';
import { parseIceServerLinks } from './wish.js';

const offer = ['v=0', 'o=- 1 2 IN IP4 127.0.0.1', 's=-', 'a=group:BUNDLE 0 1', 'm=video 9 UDP/TLS/RTP/SAVPF 96', 'a=mid:0', 'a=ice-ufrag:abcd', 'a=ice-pwd:0123456789abcdef012345', 'm=audio 9 UDP/TLS/RTP/SAVPF 111', 'a=mid:1', ''].join('\r\n');

describe('sdpFragment', () => {
  it('writes the ICE credentials, the m-line and mid of each candidate, and end-of-candidates on the first m-line', () => {
    const body = sdpFragment(offer, [{ candidate: 'candidate:1 1 udp 2122260223 127.0.0.1 50000 typ host', sdpMid: '0', sdpMLineIndex: 0 }], true);
    expect(body).toBe(
      ['a=ice-ufrag:abcd', 'a=ice-pwd:0123456789abcdef012345', 'm=video 9 UDP/TLS/RTP/SAVPF 96', 'a=mid:0', 'a=candidate:1 1 udp 2122260223 127.0.0.1 50000 typ host', 'a=end-of-candidates', ''].join('\r\n'),
    );
  });

  it('finds the mid from the m-line index when the candidate has none', () => {
    expect(sdpFragment(offer, [{ candidate: 'candidate:2 1 udp 1 127.0.0.1 9 typ host', sdpMLineIndex: 1 }], false)).toContain('m=audio 9 UDP/TLS/RTP/SAVPF 111\r\na=mid:1\r\na=candidate:2');
  });
});

describe('parseIceServerLinks', () => {
  it('reads STUN and TURN servers with quoted credentials and ignores other relations', () => {
    const header = '<stun:127.0.0.1:3478>; rel="ice-server", <turn:127.0.0.1:3478?transport=udp>; rel="ice-server"; username="ann"; credential="s\\"cret"; credential-type="password", </other>; rel="next"';
    expect(parseIceServerLinks(header)).toEqual([
      { urls: 'stun:127.0.0.1:3478' },
      { urls: 'turn:127.0.0.1:3478?transport=udp', username: 'ann', credential: 's"cret' },
    ]);
    expect(parseIceServerLinks(null)).toEqual([]);
  });
});
