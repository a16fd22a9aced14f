// Per-edge rates (msgs/s, bitrate) from the runtime's cumulative edge counters.
import type { EdgeMetrics } from '@rivulet/core';
import type { EdgeRates } from './graph-flow.js';

export interface CounterSample {
  readonly time: number;
  readonly edges: ReadonlyMap<string, EdgeMetrics>;
}

/** Rates between two samples of the counters; the first sample gives zero rates. */
export function edgeRates(previous: CounterSample | undefined, current: CounterSample): Map<string, EdgeRates> {
  const rates = new Map<string, EdgeRates>();
  const seconds = previous ? (current.time - previous.time) / 1000 : 0;
  for (const [id, now] of current.edges) {
    const before = previous?.edges.get(id);
    const usable = before && seconds > 0 && now.messages >= before.messages;
    rates.set(id, {
      messages: now.messages,
      drops: now.drops,
      msgsPerSec: usable ? (now.messages - before.messages) / seconds : 0,
      bitsPerSec: usable ? (Math.max(0, now.bytes - before.bytes) * 8) / seconds : 0,
    });
  }
  return rates;
}

/** `12.5/s · 1.2 Mb/s · 3 drops`: short enough to sit on an edge. */
export function formatRates(rates: EdgeRates): string {
  const parts = [`${formatNumber(rates.msgsPerSec)}/s`];
  if (rates.bitsPerSec > 0) parts.push(formatBits(rates.bitsPerSec));
  if (rates.drops > 0) parts.push(`${rates.drops} drops`);
  return parts.join(' · ');
}

/** The longer form for a tooltip or the inspector. */
export function describeRates(rates: EdgeRates): string {
  return `${formatRates(rates)} · ${rates.messages} messages in all`;
}

function formatNumber(value: number): string {
  return value >= 100 ? value.toFixed(0) : value.toFixed(1);
}

export function formatBits(bitsPerSec: number): string {
  if (bitsPerSec >= 1e6) return `${(bitsPerSec / 1e6).toFixed(1)} Mb/s`;
  if (bitsPerSec >= 1e3) return `${(bitsPerSec / 1e3).toFixed(0)} kb/s`;
  return `${bitsPerSec.toFixed(0)} b/s`;
}
