// One node input: a lazy Observable that edges push into directly, completing when every feeding edge has.
import { Observable, type Subscriber } from 'rxjs';

/** Values that reach an input before anything subscribed to it during start are kept (up to this many). */
const START_BUFFER_LIMIT = 1024;

export class InputPort {
  /** What the node sees as `ctx.inputs[port]`; subscribing attaches, unsubscribing detaches. */
  readonly observable: Observable<unknown>;
  // Replaced, never mutated, so a delivery loop is not disturbed by (un)subscribes it causes.
  private subscribers: Subscriber<unknown>[] = [];
  /** The one subscriber when there is exactly one and nothing is being flushed: edges call it directly. */
  sole: Subscriber<unknown> | undefined;
  private openEdges = 0;
  private completed = false;
  // Holds values while the graph starts, so a producer subscribed before its consumer loses nothing.
  private startBuffer: unknown[] | undefined = [];
  // True while buffered values are handed out; arrivals meanwhile queue behind them to keep order.
  private flushing = false;

  constructor(readonly key: string) {
    this.observable = new Observable<unknown>((subscriber) => {
      this.setSubscribers([...this.subscribers, subscriber]);
      this.flush();
      if (this.completed) {
        this.setSubscribers(this.subscribers.filter((s) => s !== subscriber));
        subscriber.complete();
        return undefined;
      }
      return () => this.setSubscribers(this.subscribers.filter((s) => s !== subscriber));
    });
  }

  /** Registers one more feeding edge; the input completes when all of them have. */
  addEdge(): void {
    this.openEdges++;
  }

  get edgeCount(): number {
    return this.openEdges;
  }

  deliver(value: unknown): void {
    const subscribers = this.subscribers;
    if (subscribers.length === 0 || this.flushing) {
      this.hold(value);
      return;
    }
    for (let i = 0; i < subscribers.length; i++) subscribers[i]!.next(value);
  }

  edgeCompleted(): void {
    if (this.completed || --this.openEdges > 0) return;
    this.completed = true;
    if (!this.flushing) this.completeSubscribers();
  }

  private hold(value: unknown): void {
    const buffer = this.startBuffer;
    if (!buffer) return;
    if (buffer.length >= START_BUFFER_LIMIT) buffer.shift();
    buffer.push(value);
  }

  /** Hands values held during start to the subscriber(s) that just arrived. */
  private flush(): void {
    const buffer = this.startBuffer;
    if (this.flushing || !buffer || buffer.length === 0) return;
    this.flushing = true;
    this.sole = undefined;
    try {
      while (buffer.length > 0) {
        const value = buffer.shift();
        for (const subscriber of this.subscribers) subscriber.next(value);
      }
    } finally {
      this.flushing = false;
      this.setSubscribers(this.subscribers);
    }
    if (this.completed) this.completeSubscribers();
  }

  private setSubscribers(subscribers: Subscriber<unknown>[]): void {
    this.subscribers = subscribers;
    this.sole = subscribers.length === 1 && !this.flushing ? subscribers[0] : undefined;
  }

  private completeSubscribers(): void {
    const subscribers = this.subscribers;
    this.setSubscribers([]);
    for (const subscriber of subscribers) subscriber.complete();
  }

  /** The graph has started: from now on a value nobody listens to is gone, as on a live wire. */
  endStartPhase(): void {
    this.startBuffer = undefined;
  }
}
