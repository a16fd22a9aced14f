// What every bench returns, and how main prints it: human lines first, then one JSON line (design.md format).

export interface BenchReport {
  readonly bench: string;
  readonly results: Readonly<Record<string, unknown>>;
  /** Oriented so that higher is better for Rivulet. */
  readonly ratios: Readonly<Record<string, number>>;
}

export type Bench = (log: (line: string) => void) => Promise<BenchReport>;

/** 1234567.8 → "1,234,568" */
export function formatRate(value: number): string {
  return Math.round(value).toLocaleString('en-US');
}

/** Rounds for the JSON line: enough digits to compare, none of the float noise. */
export function round(value: number, digits = 3): number {
  const scale = 10 ** digits;
  return Math.round(value * scale) / scale;
}
