// The runtime's one subscription to a node output: fans each value out to the output's edges.
import { Subscriber } from 'rxjs';
import type { Edge } from './edge.js';

/**
 * A lean Subscriber (no SafeSubscriber wrapping) so a hop costs a loop over the edges. An
 * output error is the producing node's error: it goes to `onError`, never downstream.
 */
export class OutputSubscriber extends Subscriber<unknown> {
  constructor(
    private readonly edges: readonly Edge[],
    private readonly onError: (error: unknown) => void,
  ) {
    super();
  }

  protected override _next(value: unknown): void {
    const edges = this.edges;
    for (let i = 0; i < edges.length; i++) edges[i]!.push(value);
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
