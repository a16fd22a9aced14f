// The Node side of a boundary: GDP packets from a child fd → media messages, and back.
import type { Readable, Writable } from 'node:stream';
import { Subject, type Observable, type Subscription } from 'rxjs';
import { capsField, capsMediaType, capsOfCodec, codecOfCaps, rtpCaps } from '../gst/caps.js';
import { BUFFER_FLAG_DELTA_UNIT, GdpParser, gdpBuffer, gdpStreamStart, type GdpPacket } from '../gst/gdp.js';
import { isMediaMessage, type MediaMessage } from '@rivulet/core';

export interface BoundaryCounters {
  messages: number;
  bytes: number;
  /** Messages not written because GStreamer was not keeping up (live media drops, never buffers without limit). */
  drops?: number;
}

/** How much may wait in Node for a slow pipeline before messages are dropped. */
export const INPUT_HIGH_WATER_BYTES = 8 * 1024 * 1024;

/** Turns one GDP packet stream into media messages, tracking the caps in force. */
export class MessageDecoder {
  private caps = '';
  private rtp?: { codec: string; payloadType: number; clockRate: number; media?: string };

  decode(packet: GdpPacket): MediaMessage | undefined {
    if (packet.type === 'caps') {
      this.caps = packet.caps;
      this.rtp = capsMediaType(packet.caps) === 'application/x-rtp' ? rtpInfo(packet.caps) : undefined;
      return undefined;
    }
    if (packet.type !== 'buffer') return undefined;
    if (this.rtp) return { kind: 'rtp', ...this.rtp, data: packet.data };
    const type = capsMediaType(this.caps);
    return {
      kind: 'frame',
      codec: codecOfCaps(this.caps),
      media: type.startsWith('video/') ? 'video' : type.startsWith('audio/') ? 'audio' : 'other',
      caps: this.caps,
      keyframe: (packet.flags & BUFFER_FLAG_DELTA_UNIT) === 0,
      data: packet.data,
      ...(packet.pts !== undefined ? { pts: packet.pts } : {}),
      ...(packet.dts !== undefined ? { dts: packet.dts } : {}),
      ...(packet.duration !== undefined ? { duration: packet.duration } : {}),
    };
  }
}

function rtpInfo(caps: string): { codec: string; payloadType: number; clockRate: number; media?: string } {
  const media = capsField(caps, 'media');
  return {
    codec: (capsField(caps, 'encoding-name') ?? 'UNKNOWN').toUpperCase(),
    payloadType: Number(capsField(caps, 'payload') ?? 96),
    clockRate: Number(capsField(caps, 'clock-rate') ?? 90000),
    ...(media ? { media } : {}),
  };
}

/**
 * Reads a boundary fd eagerly (a stalled pipe would stall the whole pipeline) and publishes
 * its messages; nobody subscribed means they are dropped, as on any live edge.
 */
export interface BoundaryOutput {
  readonly messages: Observable<MediaMessage>;
  /** Completes the output: call it only when the pipeline ended by itself (EOS), not on a crash or stop. */
  end(): void;
}

export function readBoundary(stream: Readable, counters: BoundaryCounters): BoundaryOutput {
  const subject = new Subject<MediaMessage>();
  const parser = new GdpParser();
  const decoder = new MessageDecoder();
  const onPacket = (packet: GdpPacket): void => {
    const message = decoder.decode(packet);
    if (!message) return;
    counters.messages++;
    counters.bytes += message.data.length;
    subject.next(message);
  };
  stream.on('data', (chunk: Buffer) => parser.push(chunk, onPacket));
  // Closing the pipe does not complete the output: after a crash the runtime restarts the
  // unit and downstream nodes must keep listening.
  return { messages: subject.asObservable(), end: () => subject.complete() };
}

/**
 * Writes media messages from Node into a boundary fd as GDP (stream-start, caps, segment, buffers).
 * A message without a time is stamped with its arrival in the pipeline's running time when the
 * pipeline clock is known (`baseTime`, monotonic ns), as a live GStreamer source stamps what it
 * captures; before that, with time since the first message. The timeline switches to running time
 * only where that does not step back, so stamps never repeat or stall.
 */
export function writeBoundary(
  stream: Writable,
  input: Observable<unknown>,
  counters: BoundaryCounters,
  onError: (error: Error) => void,
  baseTime: () => bigint | undefined = () => undefined,
): Subscription {
  let caps: string | undefined;
  /** Monotonic time that stamps count from: the first message's arrival, or the pipeline's base time. */
  let reference: bigint | undefined;
  let onRunningTime = false;
  return input.subscribe({
    next(value) {
      if (!isMediaMessage(value) || stream.destroyed || !stream.writable) return;
      const now = process.hrtime.bigint();
      const nextCaps = value.kind === 'rtp' ? rtpCaps(value) : value.caps || capsOfCodec(value.codec);
      if (!nextCaps) return onError(new Error(`frame with codec ${value.codec} carries no caps`));
      if (nextCaps !== caps) {
        // A caps change restarts the stream for gdpdepay; RTP caps differ per packet only by seq/ts, which we do not include.
        caps = nextCaps;
        stream.write(gdpStreamStart(caps, `rivulet-${now}`));
      }
      // RTP from Node has no GStreamer time: stamp it with arrival time, as udpsrc would.
      if (!onRunningTime) {
        const base = baseTime();
        if (base !== undefined && (reference === undefined || base <= reference)) {
          reference = base;
          onRunningTime = true;
        }
      }
      reference ??= now;
      const arrival = Number(now - reference);
      const times =
        value.kind === 'frame'
          ? { pts: value.pts ?? arrival, ...(value.dts !== undefined ? { dts: value.dts } : {}), ...(value.duration !== undefined ? { duration: value.duration } : {}), flags: value.keyframe ? 0 : BUFFER_FLAG_DELTA_UNIT }
          : { pts: arrival };
      if (stream.writableLength > INPUT_HIGH_WATER_BYTES) {
        counters.drops = (counters.drops ?? 0) + 1;
        return;
      }
      const [header, payload] = gdpBuffer(value.data, times);
      counters.messages++;
      counters.bytes += value.data.length;
      stream.write(header);
      stream.write(payload);
    },
    error: (error: unknown) => onError(error instanceof Error ? error : new Error(String(error))),
    // The Node side is done: closing the pipe gives fdsrc EOF, i.e. EOS downstream.
    complete: () => stream.end(),
  });
}
