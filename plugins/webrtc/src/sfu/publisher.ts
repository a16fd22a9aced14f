// A published track: fans its RTP out to consumers and carries key-frame requests back to the sender.
import type { MediaStreamTrack, RTCRtpReceiver, RtpPacket } from 'werift';

/** Where a publisher's packets come from and where its key-frame requests go. */
export interface PublisherSource {
  onRtp(listener: (packet: RtpPacket) => void): () => void;
  requestKeyframe(): void;
}

/** A track received by a werift peer (a publish transport). */
export function receiverSource(track: MediaStreamTrack, receiver: RTCRtpReceiver): PublisherSource {
  return {
    onRtp(listener) {
      const { unSubscribe } = track.onReceiveRtp.subscribe(listener);
      return unSubscribe;
    },
    requestKeyframe() {
      if (track.ssrc !== undefined) void receiver.sendRtcpPLI(track.ssrc).catch(() => undefined);
    },
  };
}

export interface PublisherCodec {
  /** `video/VP8`, `video/H264`, `audio/opus`… as negotiated. */
  readonly mimeType: string;
  readonly clockRate: number;
  readonly channels?: number;
}

/** Anything that takes a publisher's packets: a subscriber's sender, a recorder. */
export interface RtpSink {
  sendRtp(packet: RtpPacket): void;
}

/** Key-frame requests closer together than this are one request: N joining subscribers must not storm the encoder. */
const PLI_INTERVAL_MS = 150;

export class Publisher {
  private readonly sinks = new Set<RtpSink>();
  private readonly closeListeners = new Set<() => void>();
  private lastPli = 0;
  private pendingPli: ReturnType<typeof setTimeout> | undefined;
  private closedFlag = false;
  packets = 0;
  keyframeRequests = 0;

  constructor(
    readonly id: string,
    /** The publish transport (WHIP session) it belongs to. */
    readonly streamId: string,
    readonly kind: 'audio' | 'video',
    readonly codec: PublisherCodec,
    private readonly source: PublisherSource,
  ) {
    const unsubscribe = source.onRtp((packet) => {
      this.packets++;
      for (const sink of this.sinks) sink.sendRtp(packet);
    });
    this.closeListeners.add(unsubscribe);
  }

  get closed(): boolean {
    return this.closedFlag;
  }

  attach(sink: RtpSink): () => void {
    this.sinks.add(sink);
    return () => this.sinks.delete(sink);
  }

  get sinkCount(): number {
    return this.sinks.size;
  }

  /** Asks the sender for a key frame (RTCP PLI), coalescing bursts. */
  requestKeyframe(): void {
    if (this.kind !== 'video' || this.closedFlag) return;
    const wait = this.lastPli + PLI_INTERVAL_MS - performance.now();
    if (wait > 0) {
      this.pendingPli ??= setTimeout(() => {
        this.pendingPli = undefined;
        this.requestKeyframe();
      }, wait);
      return;
    }
    this.lastPli = performance.now();
    this.keyframeRequests++;
    this.source.requestKeyframe();
  }

  onClose(listener: () => void): () => void {
    this.closeListeners.add(listener);
    return () => this.closeListeners.delete(listener);
  }

  close(): void {
    if (this.closedFlag) return;
    this.closedFlag = true;
    if (this.pendingPli) clearTimeout(this.pendingPli);
    this.sinks.clear();
    for (const listener of [...this.closeListeners]) listener();
    this.closeListeners.clear();
  }
}
