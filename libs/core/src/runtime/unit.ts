// One running unit (a node, or a fused group): create, wire its outputs, fail, restart with backoff, dispose.
import type { Observable, Subscription } from 'rxjs';
import { errorMessage, type RuntimeError } from '../errors.js';
import { restartOptionsSchema, type RestartOptions } from '../graph/document.js';
import type { ErrorPolicy, LogLevel, NodeLogger, NodeState } from '../plugin/define.js';
import { Backoff } from './backoff.js';
import type { Edge } from './edge.js';
import type { InputPort } from './input-port.js';
import { OutputSubscriber } from './output-subscriber.js';

/** What the graph offers its units: status, metrics and log sinks, and the error policy decision. */
export interface UnitHost {
  readonly disposeTimeoutMs: number;
  readonly stopping: boolean;
  setStatus(nodeId: string, state: NodeState, text?: string): void;
  setMetrics(nodeId: string, values: Readonly<Record<string, number>>): void;
  countRestart(nodeId: string): void;
  log(nodeId: string | undefined, level: LogLevel, message: string, data?: unknown): void;
  /** A unit whose policy is stop or restart failed; `reason` names it and says why. */
  unitFailed(unit: Unit, reason: string): void;
  /** A restarting unit gave up (maxAttempts reached). */
  unitGaveUp(unit: Unit, reason: string): void;
}

/** The hooks one generation of a unit hands to create(); calls from an older generation are ignored. */
export interface UnitHooks {
  readonly signal: AbortSignal;
  logger(nodeId: string): NodeLogger;
  status(nodeId: string, state: NodeState, text?: string): void;
  metrics(nodeId: string, values: Readonly<Record<string, number>>): void;
  fail(error: unknown): void;
}

export interface UnitInstance {
  /** Keyed `node.port`. */
  readonly outputs?: Readonly<Record<string, Observable<unknown> | undefined>>;
  dispose?(): void | Promise<void>;
}

export interface UnitSpec {
  /** Human label used in messages: `node cam (gstreamer/test-video)`. */
  readonly label: string;
  readonly nodeIds: readonly string[];
  readonly policy: ErrorPolicy;
  readonly restart: RestartOptions;
  /** Output edges keyed `node.port`; every output the runtime subscribes to, connected or not. */
  readonly outputs: ReadonlyMap<string, readonly Edge[]>;
  /** Input ports keyed `node.port` that this unit reads. */
  readonly inputs: ReadonlyMap<string, InputPort>;
  instantiate(hooks: UnitHooks): UnitInstance | Promise<UnitInstance>;
}

/** A unit's combined policy: any member 'stop' → stop, else any 'restart' → restart, else ignore. */
export function combinePolicies(members: readonly { onError: ErrorPolicy; restart?: RestartOptions | undefined }[]): { policy: ErrorPolicy; restart: RestartOptions } {
  const policy: ErrorPolicy = members.some((m) => m.onError === 'stop') ? 'stop' : members.some((m) => m.onError === 'restart') ? 'restart' : 'ignore';
  const restart = members.find((m) => m.onError === 'restart' && m.restart)?.restart ?? restartOptionsSchema.parse({});
  return { policy, restart };
}

export class Unit {
  private generation = 0;
  private abort: AbortController | undefined;
  private instance: UnitInstance | undefined;
  private subscriptions: Subscription[] = [];
  private subscribedGeneration = -1;
  private erroredGeneration = -1;
  private creating: Promise<void> | undefined;
  private disposals: Promise<void>[] = [];
  private restartTimer: ReturnType<typeof setTimeout> | undefined;
  private runningSince = 0;
  private readonly backoff: Backoff;
  private readonly touched = new Set<string>();

  constructor(
    readonly spec: UnitSpec,
    private readonly host: UnitHost,
  ) {
    this.backoff = new Backoff(spec.restart);
  }

  get label(): string {
    return this.spec.label;
  }

  /** Creates a fresh instance; a throw or rejection is this unit's error. */
  create(): Promise<void> {
    const gen = ++this.generation;
    const abort = new AbortController();
    this.abort = abort;
    this.touched.clear();
    for (const id of this.spec.nodeIds) this.host.setStatus(id, 'starting');
    const creating = this.instantiate(gen, abort.signal).finally(() => {
      if (this.creating === creating) this.creating = undefined;
    });
    this.creating = creating;
    return creating;
  }

  private async instantiate(gen: number, signal: AbortSignal): Promise<void> {
    let instance: UnitInstance;
    try {
      instance = await this.spec.instantiate(this.hooks(gen, signal));
    } catch (error) {
      this.fail(gen, error, 'create');
      return;
    }
    if (gen !== this.generation) {
      // Halted (stop or restart) while create() was pending: free what it made.
      this.disposals.push(this.disposeBounded(instance));
      return;
    }
    this.instance = instance;
    this.runningSince = Date.now();
    if (this.erroredGeneration === gen) return;
    for (const id of this.spec.nodeIds) if (!this.touched.has(id)) this.host.setStatus(id, 'running');
  }

  private hooks(gen: number, signal: AbortSignal): UnitHooks {
    const current = (): boolean => gen === this.generation && !this.host.stopping;
    return {
      signal,
      logger: (nodeId) => this.logger(nodeId),
      status: (nodeId, state, text) => {
        if (!current()) return;
        this.touched.add(nodeId);
        this.host.setStatus(nodeId, state, text);
      },
      metrics: (nodeId, values) => {
        if (current()) this.host.setMetrics(nodeId, values);
      },
      fail: (error) => this.fail(gen, error, 'run'),
    };
  }

  private logger(nodeId: string): NodeLogger {
    const at = (level: LogLevel) => (message: string, data?: unknown) => this.host.log(nodeId, level, message, data);
    return { debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') };
  }

  /** Subscribes once to each output of the current instance; the edges fan values out. */
  subscribeOutputs(): void {
    const gen = this.generation;
    const outputs = this.instance?.outputs;
    if (!outputs || this.subscribedGeneration === gen) return;
    this.subscribedGeneration = gen;
    for (const [key, edges] of this.spec.outputs) {
      const source = outputs[key];
      if (!source) continue;
      const subscriber = new OutputSubscriber(edges, (error) => this.fail(gen, error, 'run'));
      this.subscriptions.push(subscriber);
      try {
        source.subscribe(subscriber);
      } catch (error) {
        // Not an Observable, or a subscribe that throws outside RxJS's guard.
        this.fail(gen, error, 'run');
      }
      if (gen !== this.generation) return;
    }
  }

  private fail(gen: number, error: unknown, during: 'create' | 'run'): void {
    if (gen !== this.generation || this.host.stopping) return;
    const message = errorMessage(error);
    const reason = during === 'create' ? `${this.label} could not be created: ${message}` : `${this.label} failed: ${message}`;
    const firstInGeneration = this.erroredGeneration !== gen;
    this.erroredGeneration = gen;
    for (const id of this.spec.nodeIds) this.host.setStatus(id, 'error', message);
    // Log data stays plain JSON: it travels to the CLI, the control API and the editor.
    const code: RuntimeError['code'] = during === 'create' ? 'node-create-failed' : 'node-failed';
    this.host.log(this.spec.nodeIds[0], 'error', reason, { code, nodes: this.spec.nodeIds, error: message });
    if (this.spec.policy === 'ignore' || !firstInGeneration) return;
    // Decided outside the failing call stack, so a failure inside subscribe() never re-enters it.
    queueMicrotask(() => {
      if (gen === this.generation && !this.host.stopping) this.host.unitFailed(this, reason);
    });
  }

  /** Restart policy: dispose, wait the backoff delay, create again and re-subscribe. */
  async restart(reason: string): Promise<void> {
    const ranForMs = this.runningSince ? Date.now() - this.runningSince : 0;
    this.halt();
    await this.settle();
    if (this.host.stopping) return;
    const step = this.backoff.next(ranForMs);
    if ('giveUp' in step) {
      this.host.unitGaveUp(this, `${reason}; gave up after ${step.attempts} restart${step.attempts === 1 ? '' : 's'}`);
      return;
    }
    const text = `restarting in ${step.delayMs} ms (attempt ${step.attempt})`;
    for (const id of this.spec.nodeIds) this.host.setStatus(id, 'error', text);
    this.host.log(this.spec.nodeIds[0], 'warn', `${reason}; ${text}`, { attempt: step.attempt, delayMs: step.delayMs });
    this.restartTimer = setTimeout(() => {
      this.restartTimer = undefined;
      if (this.host.stopping) return;
      for (const id of this.spec.nodeIds) this.host.countRestart(id);
      void this.create().then(() => {
        if (!this.host.stopping) this.subscribeOutputs();
      });
    }, step.delayMs);
  }

  /** Synchronous part of stopping: unsubscribe, abort the signal, start disposing. */
  halt(): void {
    this.generation++;
    if (this.restartTimer) clearTimeout(this.restartTimer);
    this.restartTimer = undefined;
    for (const subscription of this.subscriptions) subscription.unsubscribe();
    this.subscriptions = [];
    this.abort?.abort();
    this.abort = undefined;
    const instance = this.instance;
    this.instance = undefined;
    this.runningSince = 0;
    if (instance) this.disposals.push(this.disposeBounded(instance));
  }

  /** Resolves when a pending create and every dispose have finished (each bounded by disposeTimeoutMs). */
  async settle(): Promise<void> {
    if (this.creating) await this.bounded(this.creating, 'create');
    while (this.disposals.length > 0) {
      const pending = this.disposals;
      this.disposals = [];
      await Promise.all(pending);
    }
  }

  private disposeBounded(instance: UnitInstance): Promise<void> {
    let result: Promise<unknown>;
    try {
      result = Promise.resolve(instance.dispose?.());
    } catch (error) {
      result = Promise.reject(error);
    }
    return this.bounded(result, 'dispose');
  }

  private async bounded(task: Promise<unknown>, what: 'create' | 'dispose'): Promise<void> {
    const ms = this.host.disposeTimeoutMs;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const timeout = new Promise<'timeout'>((resolve) => {
      timer = setTimeout(() => resolve('timeout'), ms);
    });
    try {
      const outcome = await Promise.race([task.then(() => 'done' as const), timeout]);
      if (outcome === 'timeout') {
        const message = `${what} of ${this.label} did not finish within ${ms} ms`;
        this.host.log(this.spec.nodeIds[0], 'error', message, { code: 'dispose-timeout' satisfies RuntimeError['code'], nodes: this.spec.nodeIds });
      }
    } catch (error) {
      this.host.log(this.spec.nodeIds[0], 'error', `${what} of ${this.label} failed: ${errorMessage(error)}`, { nodes: this.spec.nodeIds, error: errorMessage(error) });
    } finally {
      clearTimeout(timer);
    }
  }
}
