// The runtime: validates and starts graphs, keeps the running ones, and merges their events into one stream.
import { Subject, type Observable } from 'rxjs';
import type { Catalogue } from '../catalogue/catalogue.js';
import { GraphError, RuntimeError, type GraphIssue } from '../errors.js';
import { checkAvailability, validateGraph, type ValidatedGraph } from '../graph/validate.js';
import type { GraphStatus, RuntimeEvent } from './events.js';
import { explainPlans, planUnits, type FusionExplanation } from './fusion.js';
import { GraphRun, type RunningGraph } from './graph-run.js';

export type { RunningGraph } from './graph-run.js';
export type { FusionExplanation } from './fusion.js';

export interface RuntimeOptions {
  readonly catalogue: Catalogue;
  /** How often edge and node metrics are published (default 1000 ms). */
  readonly metricsIntervalMs?: number;
  /** How long a node's dispose() may take on stop or restart before it is abandoned and logged (default 10 s). */
  readonly disposeTimeoutMs?: number;
}

/** One line summing up a refused graph; the issues themselves travel on the error. */
function invalidGraph(issues: readonly GraphIssue[]): GraphError {
  const first = issues
    .slice(0, 3)
    .map((issue) => issue.message)
    .join('; ');
  const more = issues.length > 3 ? `; and ${issues.length - 3} more` : '';
  return new GraphError('invalid-graph', `invalid graph (${issues.length} problem${issues.length === 1 ? '' : 's'}): ${first}${more}`, issues);
}

export class Runtime {
  readonly catalogue: Catalogue;
  /** Hot: every graph's status, metrics and log events. */
  readonly events$: Observable<RuntimeEvent>;
  private readonly events = new Subject<RuntimeEvent>();
  private readonly graphs = new Map<string, GraphRun>();
  private readonly metricsIntervalMs: number;
  private readonly disposeTimeoutMs: number;

  constructor(options: RuntimeOptions) {
    this.catalogue = options.catalogue;
    this.metricsIntervalMs = options.metricsIntervalMs ?? 1000;
    this.disposeTimeoutMs = options.disposeTimeoutMs ?? 10_000;
    this.events$ = this.events.asObservable();
  }

  /** Validates (structure, params, ports, availability) and starts a graph. */
  async start(input: unknown): Promise<RunningGraph> {
    const graph = this.validate(input);
    const id = graph.document.id;
    if (this.graphs.has(id)) throw new RuntimeError('graph-running', `graph ${id} is already running`, { graphId: id });
    const run = new GraphRun(graph, {
      catalogue: this.catalogue,
      metricsIntervalMs: this.metricsIntervalMs,
      disposeTimeoutMs: this.disposeTimeoutMs,
      emit: (event) => this.events.next(event),
      onStopped: (stopped) => {
        if (this.graphs.get(stopped.id) === stopped) this.graphs.delete(stopped.id);
      },
    });
    // Claimed before the first await so a second start() of the same id is refused.
    this.graphs.set(id, run);
    try {
      const unavailable = await checkAvailability(graph, this.catalogue);
      if (unavailable.length > 0) throw invalidGraph(unavailable);
    } catch (error) {
      this.graphs.delete(id);
      throw error;
    }
    try {
      await run.start();
    } catch (error) {
      // Only a runtime bug gets here (node failures go through their policy): free what started.
      await run.stop();
      throw error;
    }
    return run;
  }

  async stop(graphId: string): Promise<void> {
    const run = this.graphs.get(graphId);
    if (!run) throw new RuntimeError('graph-not-found', `graph ${graphId} is not running`, { graphId });
    await run.stop();
  }

  async stopAll(): Promise<void> {
    await Promise.all([...this.graphs.values()].map((run) => run.stop()));
  }

  get(graphId: string): RunningGraph | undefined {
    return this.graphs.get(graphId);
  }

  list(): GraphStatus[] {
    return [...this.graphs.values()].map((run) => run.status());
  }

  /** What each fused group of a graph compiles to; [] when nothing fuses. */
  explain(input: unknown): FusionExplanation[] {
    return explainPlans(planUnits(this.validate(input), this.catalogue));
  }

  private validate(input: unknown): ValidatedGraph {
    const result = validateGraph(input, this.catalogue);
    if (!result.ok) throw invalidGraph(result.issues);
    return result.graph;
  }
}
