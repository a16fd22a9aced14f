// Throughput and sampled latency: a timestamp is taken for every Nth message at the source and read back at the sink.
import { performance } from 'node:perf_hooks';

export interface Measurement {
  /** Messages the source emitted. */
  readonly messages: number;
  readonly seconds: number;
  readonly msgsPerSec: number;
  /** Latency from source emit to sink, in microseconds, over the sampled messages. */
  readonly p50Us: number;
  readonly p99Us: number;
  readonly samples: number;
}

export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return NaN;
  const index = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[index]!;
}

/** Remembers when sampled messages left the source, and how long they took to reach a sink. */
export class LatencySampler {
  private readonly sentAt: Float64Array;
  private readonly latencies: number[] = [];

  constructor(
    messages: number,
    readonly every: number,
  ) {
    this.sentAt = new Float64Array(Math.ceil(messages / every) + 1);
  }

  /** Called by the source just before it emits message `seq`. */
  sent(seq: number): void {
    if (seq % this.every === 0) this.sentAt[seq / this.every] = performance.now();
  }

  /** Called by a sink when message `seq` arrives. */
  received(seq: number): void {
    if (seq % this.every === 0) this.latencies.push(performance.now() - this.sentAt[seq / this.every]!);
  }

  measurement(messages: number, seconds: number): Measurement {
    const sorted = this.latencies.slice().sort((a, b) => a - b);
    return {
      messages,
      seconds,
      msgsPerSec: messages / seconds,
      p50Us: percentile(sorted, 50) * 1000,
      p99Us: percentile(sorted, 99) * 1000,
      samples: sorted.length,
    };
  }
}

export function median(values: readonly number[]): number {
  const sorted = values.slice().sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}
