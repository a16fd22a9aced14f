// Compiles the expression AST to nested closures: no eval, no new Function, and no lookup work left for run time.
import { ExpressionError, FORBIDDEN_KEYS } from './errors.js';
import { FUNCTIONS, toNumber, toText } from './functions.js';
import type { Node } from './parser.js';

/** The values an expression's names are bound to; a plain object (`{ msg }`). */
export type Scope = Readonly<Record<string, unknown>>;
export type Evaluate = (scope: Scope) => unknown;

/** Thrown inside evaluation; turned into an ExpressionError naming the expression by the outer wrapper. */
class Fault {
  constructor(
    readonly message: string,
    readonly column: number,
  ) {}
}

/** Returned by an optional link whose object is nullish; the enclosing chain turns it into undefined. */
const SHORT: unique symbol = Symbol('short-circuit');

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return typeof value === 'object' ? 'an object' : typeof value;
}

function read(object: unknown, key: string | number, column: number): unknown {
  if (object === null || object === undefined) throw new Fault(`cannot read "${key}" of ${object}`, column);
  return Object.hasOwn(object as object, key) ? (object as Record<string | number, unknown>)[key] : undefined;
}

function checkIndex(key: unknown, column: number): string | number {
  if (typeof key === 'number') return key;
  if (typeof key === 'string') {
    if (FORBIDDEN_KEYS.has(key)) throw new Fault(`property "${key}" is not allowed`, column);
    return key;
  }
  throw new Fault(`an index must be a string or a number, got ${describe(key)}`, column);
}

function compare(a: unknown, b: unknown): [number | string, number | string] {
  return typeof a === 'string' && typeof b === 'string' ? [a, b] : [toNumber(a), toNumber(b)];
}

/** Compiles a member/index link; `inChain` links pass a short-circuit from an earlier `?.` along. */
function compileLink(node: Extract<Node, { kind: 'member' | 'index' }>): Evaluate {
  const inner = node.object;
  const linked = inner.kind === 'member' || inner.kind === 'index';
  const object = linked ? compileLink(inner) : compileNode(inner);
  const column = node.column;
  const optional = node.optional;
  if (node.kind === 'member') {
    const key = node.key;
    if (!linked && !optional) {
      if (inner.kind === 'name') {
        const name = inner.name;
        return (s) => read(s[name], key, column);
      }
      return (s) => read(object(s), key, column);
    }
    return (s) => {
      const o = object(s);
      if (o === SHORT) return SHORT;
      if (optional && (o === null || o === undefined)) return SHORT;
      return read(o, key, column);
    };
  }
  const index = compileNode(node.index);
  return (s) => {
    const o = object(s);
    if (o === SHORT) return SHORT;
    if (optional && (o === null || o === undefined)) return SHORT;
    return read(o, checkIndex(index(s), column), column);
  };
}

function compileBinary(node: Extract<Node, { kind: 'binary' }>): Evaluate {
  const l = compileNode(node.left);
  const r = compileNode(node.right);
  switch (node.operator) {
    case '+':
      return (s) => {
        const a = l(s);
        const b = r(s);
        if (typeof a === 'number' && typeof b === 'number') return a + b;
        if (typeof a === 'string' || typeof b === 'string') return toText(a) + toText(b);
        return toNumber(a) + toNumber(b);
      };
    case '-':
      return (s) => toNumber(l(s)) - toNumber(r(s));
    case '*':
      return (s) => toNumber(l(s)) * toNumber(r(s));
    case '/':
      return (s) => toNumber(l(s)) / toNumber(r(s));
    case '%':
      return (s) => toNumber(l(s)) % toNumber(r(s));
    case '==':
    case '===':
      return (s) => l(s) === r(s);
    case '!=':
    case '!==':
      return (s) => l(s) !== r(s);
    case '<':
      return (s) => {
        const [a, b] = compare(l(s), r(s));
        return a < b;
      };
    case '<=':
      return (s) => {
        const [a, b] = compare(l(s), r(s));
        return a <= b;
      };
    case '>':
      return (s) => {
        const [a, b] = compare(l(s), r(s));
        return a > b;
      };
    case '>=':
      return (s) => {
        const [a, b] = compare(l(s), r(s));
        return a >= b;
      };
    case '&&':
      return (s) => l(s) && r(s);
    case '||':
      return (s) => l(s) || r(s);
    case '??':
      return (s) => l(s) ?? r(s);
  }
}

function compileCall(node: Extract<Node, { kind: 'call' }>): Evaluate {
  const fn = FUNCTIONS.get(node.callee)!.call;
  const args = node.args.map(compileNode);
  if (args.length === 0) return () => fn([]);
  if (args.length === 1) {
    const a = args[0]!;
    return (s) => fn([a(s)]);
  }
  return (s) => fn(args.map((a) => a(s)));
}

/**
 * Object literals: small ones get one store site per position, so a map node's output keeps a
 * stable shape and V8's inline caches stay monomorphic (a loop over keys would go megamorphic).
 */
function compileObject(keys: readonly string[], values: readonly Evaluate[]): Evaluate {
  const [k0, k1, k2, k3] = keys as [string, string, string, string];
  const [v0, v1, v2, v3] = values as [Evaluate, Evaluate, Evaluate, Evaluate];
  switch (keys.length) {
    case 0:
      return () => ({});
    case 1:
      return (s) => {
        const o: Record<string, unknown> = {};
        o[k0] = v0(s);
        return o;
      };
    case 2:
      return (s) => {
        const o: Record<string, unknown> = {};
        o[k0] = v0(s);
        o[k1] = v1(s);
        return o;
      };
    case 3:
      return (s) => {
        const o: Record<string, unknown> = {};
        o[k0] = v0(s);
        o[k1] = v1(s);
        o[k2] = v2(s);
        return o;
      };
    case 4:
      return (s) => {
        const o: Record<string, unknown> = {};
        o[k0] = v0(s);
        o[k1] = v1(s);
        o[k2] = v2(s);
        o[k3] = v3(s);
        return o;
      };
    default: {
      const count = keys.length;
      return (s) => {
        const o: Record<string, unknown> = {};
        for (let i = 0; i < count; i++) o[keys[i]!] = values[i]!(s);
        return o;
      };
    }
  }
}

function compileNode(node: Node): Evaluate {
  switch (node.kind) {
    case 'literal': {
      const value = node.value;
      return () => value;
    }
    case 'name': {
      const name = node.name;
      return (s) => s[name];
    }
    case 'member':
    case 'index':
      return compileLink(node);
    case 'chain': {
      const inner = compileNode(node.expression);
      return (s) => {
        const v = inner(s);
        return v === SHORT ? undefined : v;
      };
    }
    case 'unary': {
      const operand = compileNode(node.operand);
      if (node.operator === '!') return (s) => !operand(s);
      if (node.operator === '-') return (s) => -toNumber(operand(s));
      return (s) => toNumber(operand(s));
    }
    case 'binary':
      return compileBinary(node);
    case 'conditional': {
      const test = compileNode(node.test);
      const then = compileNode(node.then);
      const otherwise = compileNode(node.otherwise);
      return (s) => (test(s) ? then(s) : otherwise(s));
    }
    case 'object':
      return compileObject(node.entries.map((e) => e.key), node.entries.map((e) => compileNode(e.value)));
    case 'array': {
      const items = node.items.map(compileNode);
      return (s) => items.map((item) => item(s));
    }
    case 'call':
      return compileCall(node);
  }
}

/** Compiles an AST; errors thrown while evaluating name the expression and the column. */
export function compileAst(ast: Node, source: string): Evaluate {
  const evaluate = compileNode(ast);
  return (scope) => {
    try {
      return evaluate(scope);
    } catch (error) {
      if (error instanceof Fault) {
        throw new ExpressionError('runtime', `expression "${source}": ${error.message} at column ${error.column}`, source, error.column);
      }
      throw new ExpressionError('runtime', `expression "${source}": ${error instanceof Error ? error.message : String(error)}`, source);
    }
  };
}
