// One measured run: a source that emits N messages in batches, sinks that count, check and time them.
import { performance } from 'node:perf_hooks';
import { setImmediate as nextTurn } from 'node:timers/promises';
import { Observable } from 'rxjs';
import { LatencySampler, type Measurement } from './stats.js';

/** Messages emitted per turn of the event loop: large enough to measure the pipeline, small enough to let timers run. */
export const BATCH = 1000;

export interface WorkloadOptions<M extends { seq: number }> {
  readonly messages: number;
  /** How many sinks receive every message (1 for a chain, 8 for the fan-out). */
  readonly consumers: number;
  readonly sampleEvery: number;
  readonly make: (seq: number) => M;
  /** Whether a delivered message is what it must be (all maps applied, the very same Buffer…). */
  readonly check: (message: M) => boolean;
  readonly timeoutMs: number;
}

export interface RunResult extends Measurement {
  readonly delivered: number;
  /** Deliveries that passed the check. */
  readonly ok: number;
}

/** What graph nodes and Node-RED function nodes see of a workload. */
export interface WorkloadEnds {
  source(): Observable<unknown>;
  receive(message: unknown): void;
}

export class Workload<M extends { seq: number }> implements WorkloadEnds {
  private readonly sampler: LatencySampler;
  private delivered = 0;
  private ok = 0;
  private startedAt = 0;
  private finishedAt = 0;
  private resolveDone!: () => void;
  private readonly done = new Promise<void>((resolve) => (this.resolveDone = resolve));
  private readonly expected: number;

  constructor(readonly options: WorkloadOptions<M>) {
    this.sampler = new LatencySampler(options.messages, options.sampleEvery);
    this.expected = options.messages * options.consumers;
  }

  /** Marks message `seq` as sent now (for latency) and builds it. */
  emit(seq: number): M {
    if (seq === 0) this.startedAt = performance.now();
    this.sampler.sent(seq);
    return this.options.make(seq);
  }

  /** The source as an Observable: emission starts on the turn after subscribe, in batches. */
  source(): Observable<M> {
    return new Observable<M>((subscriber) => {
      let stopped = false;
      void (async () => {
        const { messages } = this.options;
        for (let seq = 0; seq < messages && !stopped; ) {
          await nextTurn();
          const end = Math.min(messages, seq + BATCH);
          for (; seq < end && !stopped; seq++) subscriber.next(this.emit(seq));
        }
        if (!stopped) subscriber.complete();
      })();
      return () => {
        stopped = true;
      };
    });
  }

  /** Feeds the messages in batches through `send` (Node-RED's node.receive). */
  async feed(send: (message: M) => void): Promise<void> {
    const { messages } = this.options;
    for (let seq = 0; seq < messages; ) {
      await nextTurn();
      const end = Math.min(messages, seq + BATCH);
      for (; seq < end; seq++) send(this.emit(seq));
    }
  }

  /** Called by every sink for every message it receives (typed unknown: it comes back through a graph). */
  readonly receive = (message: unknown): void => {
    const received = message as M;
    this.sampler.received(received.seq);
    if (this.options.check(received)) this.ok++;
    if (++this.delivered === this.expected) {
      this.finishedAt = performance.now();
      this.resolveDone();
    }
  };

  /** Resolves when every sink has every message, or rejects after the timeout. */
  async finished(label: string): Promise<RunResult> {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(new Error(`${label}: ${this.delivered} of ${this.expected} deliveries after ${this.options.timeoutMs} ms`)),
        this.options.timeoutMs,
      );
    });
    try {
      await Promise.race([this.done, timeout]);
    } finally {
      clearTimeout(timer);
    }
    const seconds = (this.finishedAt - this.startedAt) / 1000;
    return { ...this.sampler.measurement(this.options.messages, seconds), delivered: this.delivered, ok: this.ok };
  }
}
