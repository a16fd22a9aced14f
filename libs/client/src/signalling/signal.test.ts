// SignalMessage encodings: each protocol's wire shape, as its own clients write it, round-trips.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { gstJson, namedStreamData, usersListMessage, type SignalMessage } from './signal.js';
import { RoomClient } from './room.js';

const offer: SignalMessage = { kind: 'offer', sdp: 'v=0\r\n' };
const candidate: SignalMessage = { kind: 'candidate', candidate: { candidate: 'candidate:1 1 udp 1 127.0.0.1 9 typ host', sdpMid: '0', sdpMLineIndex: 0 } };

describe('signal encodings', () => {
  it('writes GStreamer room/session JSON as webrtc-sendrecv does and reads it back with the sender', () => {
    expect(gstJson.encode(offer)).toBe('{"sdp":{"type":"offer","sdp":"v=0\\r\\n"}}');
    expect(gstJson.decode('{"ice":{"candidate":"c","sdpMLineIndex":1}}', 'alice')).toEqual({ kind: 'candidate', candidate: { candidate: 'c', sdpMLineIndex: 1 }, peer: 'alice' });
    expect(gstJson.decode(gstJson.encode(candidate) as string)).toEqual(candidate);
    expect(gstJson.decode('not json')).toBeUndefined();
    expect(gstJson.encode({ kind: 'peer-joined', peer: 'x' })).toBeUndefined();
  });

  it('carries named-stream NOTIFY data as an RTCSessionDescription or RTCIceCandidate', () => {
    expect(namedStreamData.encode(offer)).toEqual({ type: 'offer', sdp: 'v=0\r\n' });
    expect(namedStreamData.decode(namedStreamData.encode(candidate), '0')).toEqual({ ...candidate, peer: '0' });
    expect(namedStreamData.decode('text', '0')).toBeUndefined();
  });

  it('writes users-list messages as the p2p-video client does, addressed by id and signed by contact', () => {
    expect(usersListMessage.encode(offer, 'bob', 'ann')).toEqual({ type: 'offer', offer: { type: 'offer', sdp: 'v=0\r\n' }, id: 'bob', contact: 'ann' });
    expect(usersListMessage.encode({ kind: 'bye' }, 'bob', 'ann')).toEqual({ type: 'hangup', id: 'bob', contact: 'ann' });
    expect(usersListMessage.decode(usersListMessage.encode(candidate, 'bob', 'ann'))).toEqual({ ...candidate, peer: 'ann' });
    expect(usersListMessage.decode({ type: 'answer', answer: { type: 'answer' } })).toBeUndefined();
  });
});

describe('error messages', () => {
  const error: SignalMessage = { kind: 'error', code: 'stale-answer', reason: 'answer without a pending offer' };

  it('writes an error as the room/session ERROR text and reads it back with its code; a plain ERROR text has code "error"', () => {
    expect(gstJson.encode(error)).toBe('ERROR stale-answer: answer without a pending offer');
    expect(gstJson.decode('ERROR stale-answer: answer without a pending offer', 'bob')).toEqual({ ...error, peer: 'bob' });
    expect(gstJson.decode("ERROR peer 'x' not found")).toEqual({ kind: 'error', code: 'error', reason: "peer 'x' not found" });
    expect(gstJson.encode({ kind: 'error', code: 'bad code!', reason: 'two\nlines' })).toBe('ERROR error: two lines');
  });

  it('carries an error as named-stream NOTIFY data and as a users-list message', () => {
    expect(namedStreamData.encode(error)).toEqual({ type: 'error', code: 'stale-answer', reason: 'answer without a pending offer' });
    expect(namedStreamData.decode(namedStreamData.encode(error), '3')).toEqual({ ...error, peer: '3' });
    expect(usersListMessage.encode(error, 'bob', 'ann')).toEqual({ type: 'error', code: 'stale-answer', reason: 'answer without a pending offer', id: 'bob', contact: 'ann' });
    expect(usersListMessage.decode(usersListMessage.encode(error, 'bob', 'ann'))).toEqual({ ...error, peer: 'ann' });
  });
});

describe('connecting without a WebSocket', () => {
  afterEach(() => vi.unstubAllGlobals());

  it('refuses with no-websocket when there is no global WebSocket and no factory', async () => {
    vi.stubGlobal('WebSocket', undefined);
    await expect(RoomClient.connect({ url: 'ws://127.0.0.1:9', uid: 'a', room: 'r' })).rejects.toMatchObject({ code: 'no-websocket' });
  });
});
