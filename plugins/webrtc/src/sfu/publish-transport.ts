// A publish transport: one werift peer receiving a client's tracks; each track becomes a Publisher with an id.
import { randomUUID } from 'node:crypto';
import type { RTCRtpTransceiver } from 'werift';
import type { IceOptions } from '../ice.js';
import { applyRemote } from './peer.js';
import { PeerTransport } from './peer-transport.js';
import { Publisher, receiverSource } from './publisher.js';
import { trackIdsByMid } from './sdp.js';

export interface PublishTransportEvents {
  onPublisher(publisher: Publisher): void;
  onClose(transport: PublishTransport): void;
}

export class PublishTransport extends PeerTransport {
  private readonly publishers = new Map<string, Publisher>();

  constructor(
    ice: IceOptions,
    private readonly events: PublishTransportEvents,
    /** Publisher ids already taken in the router, so a client-chosen id cannot shadow another. */
    private readonly taken: (id: string) => boolean,
  ) {
    super(ice, 'publish transport');
  }

  get publisherList(): readonly Publisher[] {
    return [...this.publishers.values()];
  }

  /** Takes the client's offer, answers it and turns each incoming track into a Publisher. */
  async getAnswer(offer: unknown): Promise<{ answer: string; publishers: readonly Publisher[] }> {
    this.assertOpen();
    await applyRemote(this.pc, 'offer', offer, `publish transport ${this.id}`);
    const trackIds = trackIdsByMid(offer as string);
    for (const t of this.pc.getTransceivers()) {
      if (t.mid !== null && !this.publishers.has(t.mid) && (t.direction === 'recvonly' || t.direction === 'sendrecv')) t.setDirection('recvonly');
    }
    await this.pc.setLocalDescription(await this.pc.createAnswer());
    const added: Publisher[] = [];
    for (const t of this.pc.getTransceivers()) {
      if (t.mid === null || this.publishers.has(t.mid) || t.direction !== 'recvonly') continue;
      const publisher = this.makePublisher(t, trackIds.get(t.mid));
      if (!publisher) continue;
      this.publishers.set(t.mid, publisher);
      added.push(publisher);
    }
    added.forEach((p) => this.events.onPublisher(p));
    return { answer: this.pc.localDescription?.sdp ?? '', publishers: added };
  }

  private makePublisher(t: RTCRtpTransceiver, trackId: string | undefined): Publisher | undefined {
    const codec = t.codecs[0];
    if (!codec) return undefined;
    const id = trackId && !this.taken(trackId) ? trackId : randomUUID();
    const kind = t.kind === 'audio' ? 'audio' : 'video';
    const publisher = new Publisher(id, this.id, kind, { mimeType: codec.mimeType, clockRate: codec.clockRate, ...(codec.channels ? { channels: codec.channels } : {}) }, receiverSource(t.receiver.track, t.receiver));
    return publisher;
  }

  protected release(): void {
    for (const p of this.publishers.values()) p.close();
    this.publishers.clear();
    this.events.onClose(this);
  }
}
