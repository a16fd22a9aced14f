// The whitelist of functions an expression may call, and the value conversions the operators share.

/** Numbers as JSON data sees them: no user-defined valueOf is ever called. */
export function toNumber(value: unknown): number {
  switch (typeof value) {
    case 'number':
      return value;
    case 'boolean':
      return value ? 1 : 0;
    case 'string':
      return Number(value);
    case 'bigint':
      return Number(value);
    case 'object':
      return value === null ? 0 : NaN;
    default:
      return NaN;
  }
}

/** Text of a value: strings as they are, objects and arrays as JSON, no user-defined toString is ever called. */
export function toText(value: unknown): string {
  switch (typeof value) {
    case 'string':
      return value;
    case 'object':
      if (value === null) return 'null';
      try {
        return JSON.stringify(value) ?? '';
      } catch {
        return '[unserialisable]';
      }
    case 'function':
    case 'symbol':
      return `[${typeof value}]`;
    default:
      return String(value);
  }
}

function numbers(args: readonly unknown[]): number[] {
  const values = args.length === 1 && Array.isArray(args[0]) ? (args[0] as unknown[]) : args;
  return values.map(toNumber);
}

export interface ExpressionFunction {
  readonly minArgs: number;
  readonly maxArgs: number;
  readonly call: (args: readonly unknown[]) => unknown;
}

const unary = (f: (x: number) => number): ExpressionFunction => ({ minArgs: 1, maxArgs: 1, call: (a) => f(toNumber(a[0])) });

const MATH: Readonly<Record<string, ExpressionFunction>> = {
  abs: unary(Math.abs),
  floor: unary(Math.floor),
  ceil: unary(Math.ceil),
  round: unary(Math.round),
  sqrt: unary(Math.sqrt),
  min: { minArgs: 1, maxArgs: Infinity, call: (a) => numbers(a).reduce((m, x) => Math.min(m, x), Infinity) },
  max: { minArgs: 1, maxArgs: Infinity, call: (a) => numbers(a).reduce((m, x) => Math.max(m, x), -Infinity) },
  pow: { minArgs: 2, maxArgs: 2, call: (a) => Math.pow(toNumber(a[0]), toNumber(a[1])) },
  random: { minArgs: 0, maxArgs: 0, call: () => Math.random() },
};

const OTHERS: Readonly<Record<string, ExpressionFunction>> = {
  /** Length of a string, array or byte buffer; number of keys of an object; 0 for null. */
  len: {
    minArgs: 1,
    maxArgs: 1,
    call: ([x]) => {
      if (typeof x === 'string' || Array.isArray(x)) return x.length;
      if (ArrayBuffer.isView(x)) return x.byteLength;
      if (typeof x === 'object' && x !== null) return Object.keys(x).length;
      return 0;
    },
  },
  upper: { minArgs: 1, maxArgs: 1, call: ([x]) => toText(x).toUpperCase() },
  lower: { minArgs: 1, maxArgs: 1, call: ([x]) => toText(x).toLowerCase() },
  trim: { minArgs: 1, maxArgs: 1, call: ([x]) => toText(x).trim() },
  string: { minArgs: 1, maxArgs: 1, call: ([x]) => toText(x) },
  number: { minArgs: 1, maxArgs: 1, call: ([x]) => toNumber(x) },
  keys: { minArgs: 1, maxArgs: 1, call: ([x]) => (typeof x === 'object' && x !== null ? Object.keys(x) : []) },
  now: { minArgs: 0, maxArgs: 0, call: () => Date.now() },
};

/** Callable names: the Math ones both bare (`abs(x)`) and as `Math.abs(x)`, then the helpers. */
export const FUNCTIONS: ReadonlyMap<string, ExpressionFunction> = new Map([
  ...Object.entries(MATH),
  ...Object.entries(MATH).map(([name, fn]) => [`Math.${name}`, fn] as const),
  ...Object.entries(OTHERS),
]);
