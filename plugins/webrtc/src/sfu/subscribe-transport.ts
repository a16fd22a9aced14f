// A subscribe transport: one werift peer sending chosen publishers to a client, each through a Consumer
// that keeps the client's RTP continuous across publisher switches and gaps.
import type { RTCRtpSender, RTCRtpTransceiver, RtpPacket } from 'werift';
import { defaultCodecs, type IceOptions } from '../ice.js';
import { RtpOutput } from '../rtp/fast-path.js';
import { onKeyframeRequest } from '../rtp/feedback.js';
import { RtpRewriter } from '../rtp/rewrite.js';
import { SfuError } from './errors.js';
import { KeyframeCache, keyframeDetector } from './keyframe-cache.js';
import { applyRemote } from './peer.js';
import { PeerTransport } from './peer-transport.js';
import type { Publisher, RtpSink } from './publisher.js';

const noop = (): void => undefined;
/** One cache per video publisher, shared by its consumers: a sink of the publisher while at least one consumer uses it. */
const keyframeCaches = new WeakMap<Publisher, { readonly cache: KeyframeCache; users: number; detach(): void }>();

function acquireKeyframeCache(publisher: Publisher): { cache: KeyframeCache; release(): void } | undefined {
  let shared = keyframeCaches.get(publisher);
  if (!shared) {
    const detector = keyframeDetector(publisher.codec.mimeType);
    if (publisher.kind !== 'video' || !detector) return undefined;
    const cache = new KeyframeCache(detector);
    shared = { cache, users: 0, detach: publisher.attach(cache) };
    keyframeCaches.set(publisher, shared);
  }
  const entry = shared;
  entry.users++;
  let released = false;
  return {
    cache: entry.cache,
    release() {
      if (released) return;
      released = true;
      if (--entry.users > 0) return;
      entry.detach();
      keyframeCaches.delete(publisher);
    },
  };
}

/** Forwards one publisher at a time into one sender. */
export class Consumer implements RtpSink {
  private publisherRef: Publisher | undefined;
  private detach: () => void = noop;
  private readonly rewriter: RtpRewriter;
  /** The sender's packet path: see rtp/fast-path.ts. */
  readonly output: RtpOutput;
  private readonly offReady: () => void;
  private keyframes: { cache: KeyframeCache; release(): void } | undefined;
  sent = 0;

  constructor(
    readonly transceiver: RTCRtpTransceiver,
    publisher: Publisher,
  ) {
    this.rewriter = new RtpRewriter(publisher.codec.clockRate);
    this.output = new RtpOutput(transceiver.sender);
    onKeyframeRequest(transceiver, () => this.publisherRef?.requestKeyframe());
    // The client needs a key frame the moment it can receive: the one asked for at subscribe time arrived before DTLS
    // was up and went nowhere. werift signals readiness synchronously with the DTLS state, before any live packet can
    // get through, so the replayed packets are the first the client sees. Without a cached one, the publisher is asked again.
    this.offReady = transceiver.sender.onReady.subscribe(() => {
      if (!this.replayKeyframe()) this.publisherRef?.requestKeyframe();
    }).unSubscribe;
    this.switchTo(publisher);
  }

  get sender(): RTCRtpSender {
    return this.transceiver.sender;
  }

  get publisher(): Publisher | undefined {
    return this.publisherRef;
  }

  /** Starts forwarding another publisher of the same kind; the client sees one continuous stream. */
  switchTo(publisher: Publisher): void {
    this.detach();
    this.publisherRef = publisher;
    this.rewriter.switchSource(publisher);
    this.keyframes?.release();
    this.keyframes = acquireKeyframeCache(publisher);
    this.detach = publisher.attach(this);
    publisher.requestKeyframe();
  }

  /**
   * Sends the publisher's packets since its last key frame, then live ones follow: the rewriter maps the
   * replayed (older) numbers into the same outgoing space, so the client sees one continuous stream.
   * Returns false when there was nothing to replay (no key frame cached, audio, another codec).
   */
  replayKeyframe(): boolean {
    const packets = this.keyframes?.cache.replay ?? [];
    for (const packet of packets) this.sendRtp(packet);
    return packets.length > 0;
  }

  sendRtp(packet: RtpPacket): void {
    const mapped = this.rewriter.rewrite(packet.header.sequenceNumber, packet.header.timestamp);
    // The publisher's header extensions use the publisher's negotiated ids: they are not forwarded (see RtpOutput).
    this.output.send(packet, mapped.sequenceNumber, mapped.timestamp);
    this.sent++;
  }

  stop(): void {
    this.offReady();
    this.keyframes?.release();
    this.keyframes = undefined;
    this.detach();
    this.detach = noop;
    this.publisherRef = undefined;
  }
}

export interface SubscribeTransportEvents {
  resolve(id: string): readonly Publisher[];
  onClose(transport: SubscribeTransport): void;
}

export type NegotiationListener = (offer: { sdp: string; version: number }) => void;

export class SubscribeTransport extends PeerTransport {
  private readonly consumers = new Map<string, Consumer>();
  /** Publisher close listeners, dropped with the transport so a long-lived publisher does not keep it alive. */
  private readonly publisherWatches = new Set<() => void>();
  private offerVersion = 0;
  private awaitingAnswer: number | undefined;
  private readonly negotiationListeners = new Set<NegotiationListener>();
  private negotiating: Promise<unknown> = Promise.resolve();

  constructor(
    ice: IceOptions,
    private readonly events: SubscribeTransportEvents,
  ) {
    super(ice, 'subscribe transport');
  }

  get consumerList(): readonly Consumer[] {
    return [...this.consumers.values()];
  }

  /** Server-offered renegotiation (publishers added or gone): send the offer to the client, which answers with setAnswer. */
  onNegotiationNeeded(listener: NegotiationListener): () => void {
    this.negotiationListeners.add(listener);
    return () => this.negotiationListeners.delete(listener);
  }

  /** WHEP: the client offers recvonly m-lines; each is filled with a publisher of its kind from `id`. */
  async answer(offer: unknown, id: string): Promise<string> {
    this.assertOpen();
    const publishers = this.resolve(id);
    await applyRemote(this.pc, 'offer', offer, `subscribe transport ${this.id}`);
    const free = [...publishers];
    for (const t of this.pc.getTransceivers()) {
      const index = free.findIndex((p) => p.kind === t.kind);
      if (index < 0 || t.mid === null) {
        t.setDirection('inactive');
        continue;
      }
      const [publisher] = free.splice(index, 1);
      if (!publisher) continue;
      t.setCodecPreferences(matchingCodecs(t, publisher));
      t.setDirection('sendonly');
      this.consumers.set(publisher.id, new Consumer(t, publisher));
    }
    if (this.consumers.size === 0) throw new SfuError('negotiation-failed', `subscribe transport ${this.id}: the offer has no m-line for ${describe(publishers)}`);
    await this.pc.setLocalDescription(await this.pc.createAnswer());
    return this.pc.localDescription?.sdp ?? '';
  }

  /** Seed-style: adds the publishers named by `id` (a publisher or a publish transport) and returns the offer to send. */
  subscribe(id: string): Promise<{ sdp: string; version: number }> {
    this.assertOpen();
    const publishers = this.resolve(id).filter((p) => !this.consumers.has(p.id));
    for (const publisher of publishers) {
      const t = this.pc.addTransceiver(publisher.kind, { direction: 'sendonly' });
      t.setCodecPreferences(matchingCodecs(t, publisher));
      this.consumers.set(publisher.id, new Consumer(t, publisher));
      this.publisherWatches.add(publisher.onClose(() => this.removePublisher(publisher.id)));
    }
    return this.offer();
  }

  /** Swaps what a consumer forwards: the client keeps one stream, the new publisher is asked for a key frame. */
  switchPublisher(fromId: string, toId: string): void {
    const consumer = this.consumers.get(fromId);
    if (!consumer) throw new SfuError('unknown-publisher', `subscribe transport ${this.id} does not forward publisher ${fromId}`);
    const [to] = this.resolve(toId);
    if (!to || to.kind !== consumer.publisher?.kind || to.codec.mimeType.toLowerCase() !== consumer.publisher.codec.mimeType.toLowerCase()) {
      throw new SfuError('unknown-publisher', `publisher ${toId} cannot replace ${fromId}: kind or codec differs`);
    }
    this.consumers.delete(fromId);
    consumer.switchTo(to);
    this.consumers.set(to.id, consumer);
  }

  /** The client's answer to the offer numbered `version`; an answer to an older offer is refused. */
  async setAnswer(answer: unknown, version: number): Promise<void> {
    this.assertOpen();
    if (this.awaitingAnswer !== version) {
      throw new SfuError('stale-answer', `subscribe transport ${this.id}: answer is for offer ${version}, the current offer is ${this.awaitingAnswer ?? 'none'}`);
    }
    await applyRemote(this.pc, 'answer', answer, `subscribe transport ${this.id}`);
    this.awaitingAnswer = undefined;
  }

  private removePublisher(id: string): void {
    const consumer = this.consumers.get(id);
    if (!consumer || this.closed) return;
    consumer.stop();
    this.consumers.delete(id);
    consumer.transceiver.setDirection('inactive');
    void this.offer().then((offer) => this.negotiationListeners.forEach((l) => l(offer)), noop);
  }

  private offer(): Promise<{ sdp: string; version: number }> {
    // Offers are serialised: werift cannot create one while the previous is being applied.
    const next = this.negotiating.then(async () => {
      const version = ++this.offerVersion;
      await this.pc.setLocalDescription(await this.pc.createOffer());
      this.awaitingAnswer = version;
      return { sdp: this.pc.localDescription?.sdp ?? '', version };
    });
    this.negotiating = next.catch(noop);
    return next;
  }

  private resolve(id: string): readonly Publisher[] {
    const publishers = this.events.resolve(id);
    if (publishers.length === 0) throw new SfuError('unknown-publisher', `no publisher or stream with id "${id}"`);
    return publishers;
  }

  protected release(): void {
    this.consumers.forEach((c) => c.stop());
    this.consumers.clear();
    this.publisherWatches.forEach((off) => off());
    this.publisherWatches.clear();
    this.negotiationListeners.clear();
    this.events.onClose(this);
  }
}

function matchingCodecs(t: RTCRtpTransceiver, publisher: Publisher): ReturnType<typeof defaultCodecs>['video'] {
  const all = t.kind === 'audio' ? defaultCodecs().audio : defaultCodecs().video;
  return all.filter((c) => c.mimeType.toLowerCase() === publisher.codec.mimeType.toLowerCase());
}

function describe(publishers: readonly Publisher[]): string {
  return publishers.map((p) => `${p.kind} ${p.id}`).join(', ');
}
