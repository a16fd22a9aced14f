// The runtime's one subscription to a node output: fans each value out to the output's edges.
import { Subscriber } from 'rxjs';
import { byteSize, type Edge } from './edge.js';

/**
 * A lean Subscriber (no SafeSubscriber wrapping): a value is measured once and handed to each
 * edge's consumer directly, so fan-out costs a loop and a hop costs about one call. An output
 * error is the producing node's error: it goes to `onError`, never downstream.
 */
export class OutputSubscriber extends Subscriber<unknown> {
  // The common case, one direct edge, is inlined in next(): a hop is then one call to the consumer.
  private readonly single: Edge | undefined;

  constructor(
    private readonly edges: readonly Edge[],
    private readonly onError: (error: unknown) => void,
  ) {
    super();
    this.single = edges.length === 1 && edges[0]!.direct ? edges[0] : undefined;
  }

  override next(value: unknown): void {
    if (this.isStopped) return;
    const single = this.single;
    if (single === undefined) {
      const edges = this.edges;
      const size = byteSize(value);
      for (let i = 0; i < edges.length; i++) edges[i]!.push(value, size);
      return;
    }
    single.messages++;
    single.bytes += byteSize(value);
    const target = single.target;
    const sole = target.sole;
    if (sole !== undefined) sole.next(value);
    else target.deliver(value);
  }

  protected override _error(error: unknown): void {
    this.unsubscribe();
    this.onError(error);
  }

  protected override _complete(): void {
    this.unsubscribe();
    for (const edge of this.edges) edge.complete();
  }
}
