// Worker → Router → transports: a router is a room holding publish, subscribe and recording transports.
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import type { IceOptions } from '../ice.js';
import { SfuError } from './errors.js';
import { PublishTransport } from './publish-transport.js';
import type { Publisher } from './publisher.js';
import { RecordingTransport, recordingExtension } from './recording-transport.js';
import { SubscribeTransport } from './subscribe-transport.js';

export type RouterEvent =
  | { readonly type: 'publisher-added'; readonly publisher: Publisher }
  | { readonly type: 'publisher-removed'; readonly publisher: Publisher }
  | { readonly type: 'recording-finished'; readonly publisherId: string; readonly path: string };

export interface RouterOptions {
  readonly ice?: IceOptions;
  /** Folder for recordings; when set, every publisher is recorded as it appears. */
  readonly recordDir?: string;
}

export class SfuRouter {
  readonly id = randomUUID();
  private readonly publishTransports = new Set<PublishTransport>();
  private readonly subscribeTransports = new Set<SubscribeTransport>();
  private readonly recordings = new Set<RecordingTransport>();
  private readonly publishers = new Map<string, Publisher>();
  private readonly listeners = new Set<(event: RouterEvent) => void>();
  private closedFlag = false;

  constructor(private readonly options: RouterOptions = {}) {}

  get stats(): { publishTransports: number; subscribeTransports: number; recordings: number; publishers: number } {
    return { publishTransports: this.publishTransports.size, subscribeTransports: this.subscribeTransports.size, recordings: this.recordings.size, publishers: this.publishers.size };
  }

  /** Packets handed to subscriber senders so far, over the transports open now. */
  get forwardedPackets(): number {
    let n = 0;
    for (const t of this.subscribeTransports) for (const c of t.consumerList) n += c.sent;
    return n;
  }

  /** How the forwarded packets left, over the transports open now: rtp/fast-path.ts, or werift's own send path. */
  get sendPaths(): { fast: number; werift: number } {
    const paths = { fast: 0, werift: 0 };
    for (const t of this.subscribeTransports) {
      for (const c of t.consumerList) {
        paths.fast += c.output.fastPackets;
        paths.werift += c.output.weriftPackets;
      }
    }
    return paths;
  }

  on(listener: (event: RouterEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  publisher(id: string): Publisher | undefined {
    return this.publishers.get(id);
  }

  get publisherList(): readonly Publisher[] {
    return [...this.publishers.values()];
  }

  /** A publisher by id, or every publisher of a publish transport (a WHIP session) by its id. */
  resolve(id: string): readonly Publisher[] {
    const one = this.publishers.get(id);
    if (one) return [one];
    return [...this.publishers.values()].filter((p) => p.streamId === id);
  }

  createPublishTransport(): PublishTransport {
    this.assertOpen();
    const transport = new PublishTransport(
      this.options.ice ?? {},
      {
        onPublisher: (publisher) => this.addPublisher(publisher),
        onClose: (t) => this.publishTransports.delete(t),
      },
      (id) => this.publishers.has(id),
    );
    this.publishTransports.add(transport);
    return transport;
  }

  createSubscribeTransport(): SubscribeTransport {
    this.assertOpen();
    const transport = new SubscribeTransport(this.options.ice ?? {}, {
      resolve: (id) => this.resolve(id),
      onClose: (t) => this.subscribeTransports.delete(t),
    });
    this.subscribeTransports.add(transport);
    return transport;
  }

  /** Records one publisher to `path` until it or the recording closes. */
  async createRecordingTransport(publisherId: string, path: string): Promise<RecordingTransport> {
    this.assertOpen();
    const publisher = this.publishers.get(publisherId);
    if (!publisher) throw new SfuError('unknown-publisher', `cannot record: no publisher "${publisherId}"`);
    const recording = await RecordingTransport.start(publisher, path, (r) => {
      if (this.recordings.delete(r)) this.emit({ type: 'recording-finished', publisherId: r.publisher.id, path: r.path });
    });
    this.recordings.add(recording);
    return recording;
  }

  /** Adds a publisher made outside a publish transport (e.g. fed from the graph); its id must be free. */
  addPublisher(publisher: Publisher): void {
    this.assertOpen();
    if (this.publishers.has(publisher.id)) throw new SfuError('unknown-publisher', `publisher id "${publisher.id}" is taken`);
    this.publishers.set(publisher.id, publisher);
    publisher.onClose(() => {
      if (this.publishers.get(publisher.id) === publisher) this.publishers.delete(publisher.id);
      this.emit({ type: 'publisher-removed', publisher });
    });
    this.emit({ type: 'publisher-added', publisher });
    if (this.options.recordDir) {
      const path = join(this.options.recordDir, `${publisher.id}.${recordingExtension(publisher)}`);
      void this.createRecordingTransport(publisher.id, path).catch(() => undefined);
    }
  }

  private emit(event: RouterEvent): void {
    for (const listener of this.listeners) listener(event);
  }

  private assertOpen(): void {
    if (this.closedFlag) throw new SfuError('closed', `router ${this.id} is closed`);
  }

  /** Closes every transport; recordings are finalised first so their files play. */
  async close(): Promise<void> {
    if (this.closedFlag) return;
    this.closedFlag = true;
    await Promise.all([...this.recordings].map((r) => r.close()));
    await Promise.all([...this.subscribeTransports].map((t) => t.close()));
    await Promise.all([...this.publishTransports].map((t) => t.close()));
    this.listeners.clear();
  }
}

/** One per process: owns routers and closes them together. */
export class SfuWorker {
  private readonly routers = new Set<SfuRouter>();

  createRouter(options: RouterOptions = {}): SfuRouter {
    const router = new SfuRouter(options);
    this.routers.add(router);
    return router;
  }

  get routerCount(): number {
    return this.routers.size;
  }

  async close(): Promise<void> {
    await Promise.all([...this.routers].map((r) => r.close()));
    this.routers.clear();
  }
}
