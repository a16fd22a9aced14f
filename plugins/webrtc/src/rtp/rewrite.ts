// Per-subscriber RTP continuity: one outgoing sequence/timestamp space whatever publisher or gap feeds it.
//
// Small gaps (real loss) keep their width so NACK can name the missing packets; a publisher
// switch or a long gap is folded into a step of one, because a jump of ~100 packets across the
// 16-bit wrap makes werift's SRTP (and libsrtp's index guess) lose the stream for good.

/** Gaps wider than this are folded: the receiver could not repair them by NACK anyway. */
export const MAX_KEPT_GAP = 48;

const U16 = 0x1_0000;
const U32 = 0x1_0000_0000;

export interface RewriteResult {
  readonly sequenceNumber: number;
  readonly timestamp: number;
}

export class RtpRewriter {
  private source: unknown = undefined;
  private seqDelta = 0;
  private tsDelta = 0;
  /** Highest input sequence seen from the current source, extended to 32 bits. */
  private highestIn = -1;
  private lastOutSeq = -1;
  private lastOutTs = 0;
  private lastOutAt = 0;
  /** Reused for every answer: this runs once per packet per subscriber, and garbage is most of an SFU's overhead. */
  private readonly result = { sequenceNumber: 0, timestamp: 0 };

  /** @param clockRate of the media, to turn wall time into a timestamp step at a switch. */
  constructor(
    private readonly clockRate: number,
    initialSequence = Math.floor(Math.random() * 0x8000),
  ) {
    this.lastOutSeq = (initialSequence - 1 + U16) % U16;
    this.lastOutTs = Math.floor(Math.random() * 0x7fff_ffff);
  }

  /** Marks the next packet as the start of a new stream (another publisher, a restart). */
  switchSource(source: unknown): void {
    if (source === this.source) return;
    this.source = source;
    this.highestIn = -1;
  }

  /**
   * Maps one packet's sequence number and timestamp into the outgoing space. The returned object is reused:
   * read it before the next call.
   */
  rewrite(sequenceNumber: number, timestamp: number, now = performance.now()): RewriteResult {
    if (this.highestIn < 0) return this.rebase(sequenceNumber, timestamp, now);
    const diff = ((sequenceNumber - (this.highestIn % U16) + U16 + U16 / 2) % U16) - U16 / 2;
    if (diff > MAX_KEPT_GAP || diff < -1024) return this.rebase(sequenceNumber, timestamp, now);
    const out = this.map(sequenceNumber, timestamp);
    if (diff > 0) {
      this.highestIn += diff;
      this.lastOutSeq = out.sequenceNumber;
      this.lastOutTs = out.timestamp;
      this.lastOutAt = now;
    }
    return out;
  }

  private rebase(sequenceNumber: number, timestamp: number, now: number): RewriteResult {
    const nextSeq = (this.lastOutSeq + 1) % U16;
    const elapsed = this.lastOutAt === 0 ? 0 : now - this.lastOutAt;
    const step = Math.max(1, Math.round((elapsed * this.clockRate) / 1000));
    const nextTs = (this.lastOutTs + step) % U32;
    this.seqDelta = (nextSeq - sequenceNumber + U16) % U16;
    this.tsDelta = (nextTs - timestamp + U32) % U32;
    this.highestIn = sequenceNumber + U16;
    this.lastOutSeq = nextSeq;
    this.lastOutTs = nextTs;
    this.lastOutAt = now;
    this.result.sequenceNumber = nextSeq;
    this.result.timestamp = nextTs;
    return this.result;
  }

  private map(sequenceNumber: number, timestamp: number): RewriteResult {
    this.result.sequenceNumber = (sequenceNumber + this.seqDelta) % U16;
    this.result.timestamp = (timestamp + this.tsDelta) % U32;
    return this.result;
  }
}
