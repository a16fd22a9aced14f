// A tiny typed event emitter usable in Node and in browsers (clients run in both).
export type Listener<A extends unknown[]> = (...args: A) => void;

export class TypedEmitter<E extends { [K in keyof E]: unknown[] }> {
  private readonly listeners = new Map<keyof E, Set<(...args: never[]) => void>>();

  on<K extends keyof E>(event: K, listener: Listener<E[K]>): () => void {
    let set = this.listeners.get(event);
    if (!set) this.listeners.set(event, (set = new Set()));
    set.add(listener as unknown as (...args: never[]) => void);
    return () => this.off(event, listener);
  }

  once<K extends keyof E>(event: K, listener: Listener<E[K]>): () => void {
    const off = this.on(event, (...args: E[K]) => {
      off();
      listener(...args);
    });
    return off;
  }

  off<K extends keyof E>(event: K, listener: Listener<E[K]>): void {
    this.listeners.get(event)?.delete(listener as unknown as (...args: never[]) => void);
  }

  protected emit<K extends keyof E>(event: K, ...args: E[K]): void {
    const set = this.listeners.get(event);
    if (!set) return;
    for (const listener of [...set]) (listener as unknown as Listener<E[K]>)(...args);
  }
}

/**
 * An emitter that keeps events nobody listens to yet (up to `limit` per event) and hands them to
 * the first listener: a client connected with `await X.connect()` loses nothing that arrived
 * in the same packet as its handshake reply.
 */
export class HoldingEmitter<E extends { [K in keyof E]: unknown[] }> extends TypedEmitter<E> {
  private readonly held = new Map<keyof E, unknown[][]>();
  private readonly heard = new Set<keyof E>();

  constructor(private readonly limit = 1_000) {
    super();
  }

  override on<K extends keyof E>(event: K, listener: Listener<E[K]>): () => void {
    const off = super.on(event, listener);
    this.heard.add(event);
    const held = this.held.get(event);
    if (held) {
      this.held.delete(event);
      for (const args of held) listener(...(args as E[K]));
    }
    return off;
  }

  protected override emit<K extends keyof E>(event: K, ...args: E[K]): void {
    if (this.heard.has(event)) return super.emit(event, ...args);
    let held = this.held.get(event);
    if (!held) this.held.set(event, (held = []));
    if (held.length < this.limit) held.push(args);
  }
}
