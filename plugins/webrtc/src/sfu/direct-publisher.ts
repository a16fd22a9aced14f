// A publisher fed straight from the graph (RTP messages on the router's input), not by a WebRTC peer:
// how a graph's own media reaches WHEP viewers, the editor's preview among them.
import { RtpPacket } from 'werift';
import type { RtpPacket as RtpMessage } from '@rivulet/core';
import { Publisher, type PublisherSource } from './publisher.js';

const MIME: Record<string, { mimeType: string; kind: 'audio' | 'video' }> = {
  VP8: { mimeType: 'video/VP8', kind: 'video' },
  H264: { mimeType: 'video/H264', kind: 'video' },
  OPUS: { mimeType: 'audio/opus', kind: 'audio' },
};

export interface DirectInput {
  readonly publisher: Publisher;
  /** Feeds one message; false when it is not RTP of the publisher's codec (dropped and counted). */
  push(message: RtpMessage): boolean;
}

/** Builds the publisher from the first message (its codec and clock rate); `onKeyframe` is called on PLI from any subscriber. */
export function directInput(id: string, first: RtpMessage, onKeyframe: () => void): DirectInput | undefined {
  const codec = MIME[first.codec.toUpperCase()];
  if (!codec) return undefined;
  const listeners = new Set<(packet: RtpPacket) => void>();
  const source: PublisherSource = {
    onRtp(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    requestKeyframe: onKeyframe,
  };
  const publisher = new Publisher(id, id, codec.kind, { mimeType: codec.mimeType, clockRate: first.clockRate }, source);
  return {
    publisher,
    push(message) {
      if (message.codec.toUpperCase() !== first.codec.toUpperCase()) return false;
      let packet: RtpPacket;
      try {
        packet = RtpPacket.deSerialize(message.data);
      } catch {
        return false;
      }
      for (const listener of listeners) listener(packet);
      return true;
    },
  };
}
