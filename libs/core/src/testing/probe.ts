// The harness's own tiny plugin: feeder nodes that play given values into a graph, collectors that record outputs.
import { from, isObservable, mergeMap, tap, type Observable } from 'rxjs';
import { z } from 'zod';
import { defineNode, definePlugin, type Plugin } from '../plugin/define.js';
import { port } from '../plugin/port.js';

/** Values to feed into an input: an array (or any iterable) played at once, or an Observable. */
export type Feed = Iterable<unknown> | Observable<unknown>;

export const FEED_TYPE = 'rivulet-testing/feed';
export const COLLECT_TYPE = 'rivulet-testing/collect';

/** What arrived on one collected output. */
export interface Collected {
  readonly values: unknown[];
  complete: boolean;
}

/**
 * The state of one harness run, shared by its feeder and collector nodes (keyed by `node.port`).
 * Feeds start only once `go` resolves, i.e. after the graph reports running.
 */
export class Probe {
  readonly collected = new Map<string, Collected>();
  readonly fedComplete = new Set<string>();
  private release!: () => void;
  private readonly go = new Promise<void>((resolve) => (this.release = resolve));

  constructor(
    readonly feeds: ReadonlyMap<string, Feed>,
    collect: Iterable<string>,
    private readonly changed: () => void,
  ) {
    for (const key of collect) this.collected.set(key, { values: [], complete: false });
  }

  start(): void {
    this.release();
  }

  feed(key: string): Observable<unknown> {
    const source = this.feeds.get(key)!;
    return from(this.go).pipe(mergeMap(() => (isObservable(source) ? source : from(source))));
  }

  feedCompleted(key: string): void {
    this.fedComplete.add(key);
    this.changed();
  }

  arrived(key: string, value: unknown): void {
    this.collected.get(key)?.values.push(value);
    this.changed();
  }

  outputCompleted(key: string): void {
    const collected = this.collected.get(key);
    if (collected) collected.complete = true;
    this.changed();
  }

  /** The feeder and collector node types, bound to this probe. */
  plugin(): Plugin {
    const feed = defineNode({
      type: FEED_TYPE,
      title: 'Test feed',
      category: 'testing',
      params: z.object({ key: z.string() }),
      outputs: { out: port('any') },
      create: (ctx) => {
        const key = ctx.params.key;
        return { outputs: { out: this.feed(key).pipe(tap({ complete: () => this.feedCompleted(key) })) } };
      },
    });
    const collect = defineNode({
      type: COLLECT_TYPE,
      title: 'Test collector',
      category: 'testing',
      params: z.object({ key: z.string() }),
      inputs: { in: port('any') },
      create: (ctx) => {
        const key = ctx.params.key;
        const subscription = ctx.inputs.in.subscribe({
          next: (value) => this.arrived(key, value),
          complete: () => this.outputCompleted(key),
        });
        return { dispose: () => subscription.unsubscribe() };
      },
    });
    return definePlugin({ name: '@rivulet/core/testing', nodes: [feed, collect] });
  }
}
