// Edges carry an output's values to one input, counting messages, bytes and drops in plain fields.
import type { EdgeMetrics } from './events.js';
import type { InputPort } from './input-port.js';

/** Size of a message, cheaply: Buffers, byte arrays, strings and `{ data: Buffer }` frames; 0 otherwise. */
export function byteSize(value: unknown): number {
  if (typeof value === 'string') return value.length;
  if (typeof value !== 'object' || value === null) return 0;
  if (value instanceof Uint8Array) return value.byteLength;
  const data = (value as { data?: unknown }).data;
  return data instanceof Uint8Array ? data.byteLength : 0;
}

/** A direct edge: each value is handed to the input's subscribers synchronously. */
export class Edge {
  /** Messages that entered the edge (delivered or dropped). */
  messages = 0;
  bytes = 0;
  drops = 0;
  protected completed = false;
  /** Delivers synchronously (not through a queue): the output may hand values to `target.sole` itself. */
  readonly direct: boolean = true;

  constructor(
    readonly id: string,
    readonly from: string,
    readonly to: string,
    readonly target: InputPort,
  ) {
    target.addEdge();
  }

  /** `size` is passed when the output already measured the value (once for all its edges). */
  push(value: unknown, size: number = byteSize(value)): void {
    this.messages++;
    this.bytes += size;
    const sole = this.target.sole;
    if (sole !== undefined) sole.next(value);
    else this.target.deliver(value);
  }

  /** The producing output completed. */
  complete(): void {
    if (this.completed) return;
    this.completed = true;
    this.target.edgeCompleted();
  }

  /** Drops anything pending; the graph is stopping. */
  close(): void {}

  metrics(): EdgeMetrics {
    return { id: this.id, from: this.from, to: this.to, messages: this.messages, bytes: this.bytes, drops: this.drops };
  }
}

/**
 * A live edge: a bounded ring queue drained on the next turn of the event loop. When the
 * consumer falls behind, the oldest message is dropped (and counted) instead of buffering.
 */
export class LiveEdge extends Edge {
  override readonly direct: boolean = false;
  private readonly ring: unknown[];
  private head = 0;
  private size = 0;
  private scheduled: ReturnType<typeof setImmediate> | undefined;
  private completePending = false;

  constructor(id: string, from: string, to: string, target: InputPort, readonly capacity: number) {
    super(id, from, to, target);
    this.ring = new Array<unknown>(capacity);
  }

  override push(value: unknown, size: number = byteSize(value)): void {
    this.messages++;
    this.bytes += size;
    const capacity = this.capacity;
    if (this.size === capacity) {
      this.ring[this.head] = undefined;
      this.head = (this.head + 1) % capacity;
      this.size--;
      this.drops++;
    }
    this.ring[(this.head + this.size) % capacity] = value;
    this.size++;
    this.scheduled ??= setImmediate(this.drain);
  }

  get queued(): number {
    return this.size;
  }

  override complete(): void {
    if (this.size > 0) this.completePending = true;
    else super.complete();
  }

  override close(): void {
    if (this.scheduled) clearImmediate(this.scheduled);
    this.scheduled = undefined;
    this.ring.fill(undefined);
    this.size = 0;
  }

  // Delivers what was queued when the turn began; later arrivals wait for the next turn, so I/O can interleave.
  private readonly drain = (): void => {
    this.scheduled = undefined;
    const capacity = this.capacity;
    for (let n = this.size; n > 0 && this.size > 0; n--) {
      const value = this.ring[this.head];
      this.ring[this.head] = undefined;
      this.head = (this.head + 1) % capacity;
      this.size--;
      this.target.deliver(value);
    }
    if (this.size > 0) this.scheduled ??= setImmediate(this.drain);
    else if (this.completePending) {
      this.completePending = false;
      super.complete();
    }
  };
}
