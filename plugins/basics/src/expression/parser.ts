// A Pratt parser from tokens to the expression AST; refuses names, calls and keys that are not allowed at compile time.
import { ExpressionError, FORBIDDEN_KEYS } from './errors.js';
import { FUNCTIONS } from './functions.js';
import { tokenize, type Token } from './tokenizer.js';

export type BinaryOperator = '+' | '-' | '*' | '/' | '%' | '==' | '!=' | '===' | '!==' | '<' | '<=' | '>' | '>=' | '&&' | '||' | '??';
export type UnaryOperator = '!' | '-' | '+';

export type Node =
  | { readonly kind: 'literal'; readonly value: string | number | boolean | null | undefined; readonly column: number }
  | { readonly kind: 'name'; readonly name: string; readonly column: number }
  /** `a.b` or `a["b"]` / `a[0]`: the key is known at compile time. */
  | { readonly kind: 'member'; readonly object: Node; readonly key: string | number; readonly optional: boolean; readonly column: number }
  | { readonly kind: 'index'; readonly object: Node; readonly index: Node; readonly optional: boolean; readonly column: number }
  /** Wraps a member/index chain that holds a `?.`, so a nullish link short-circuits the whole chain. */
  | { readonly kind: 'chain'; readonly expression: Node; readonly column: number }
  | { readonly kind: 'unary'; readonly operator: UnaryOperator; readonly operand: Node; readonly column: number }
  | { readonly kind: 'binary'; readonly operator: BinaryOperator; readonly left: Node; readonly right: Node; readonly column: number }
  | { readonly kind: 'conditional'; readonly test: Node; readonly then: Node; readonly otherwise: Node; readonly column: number }
  | { readonly kind: 'object'; readonly entries: readonly { readonly key: string; readonly value: Node }[]; readonly column: number }
  | { readonly kind: 'array'; readonly items: readonly Node[]; readonly column: number }
  | { readonly kind: 'call'; readonly callee: string; readonly args: readonly Node[]; readonly column: number };

/** Left binding powers of the infix operators; higher binds tighter. */
const INFIX: Readonly<Record<string, number>> = {
  '?': 10,
  '||': 20,
  '??': 20,
  '&&': 30,
  '==': 40,
  '!=': 40,
  '===': 40,
  '!==': 40,
  '<': 50,
  '<=': 50,
  '>': 50,
  '>=': 50,
  '+': 60,
  '-': 60,
  '*': 70,
  '/': 70,
  '%': 70,
  '.': 90,
  '?.': 90,
  '[': 90,
};
const PREFIX_POWER = 80;
/** Deeper nesting than this is refused, so a hostile text cannot overflow the stack. */
const MAX_DEPTH = 200;
export const LITERALS: Readonly<Record<string, string | number | boolean | null | undefined>> = { true: true, false: false, null: null, undefined: undefined, NaN: NaN, Infinity: Infinity };

export interface ParseOptions {
  /** Names the caller binds (e.g. `msg`); any other bare name is a compile error. */
  readonly names: readonly string[];
}

class Parser {
  private readonly tokens: Token[];
  private position = 0;
  private depth = 0;

  constructor(
    private readonly source: string,
    private readonly names: ReadonlySet<string>,
  ) {
    this.tokens = tokenize(source);
  }

  parse(): Node {
    const node = this.expression(0);
    const next = this.peek();
    if (next.kind !== 'eof') this.unexpected(next);
    return node;
  }

  private peek(): Token {
    return this.tokens[this.position]!;
  }

  private next(): Token {
    return this.tokens[this.position++]!;
  }

  private isPunct(value: string): boolean {
    const token = this.peek();
    return token.kind === 'punct' && token.value === value;
  }

  private expect(value: string): Token {
    const token = this.next();
    if (token.kind !== 'punct' || token.value !== value) this.unexpected(token, `expected "${value}"`);
    return token;
  }

  private fail(code: 'syntax' | 'unknown-name' | 'forbidden', message: string, column: number): never {
    throw new ExpressionError(code, `${message} at column ${column}`, this.source, column);
  }

  private unexpected(token: Token, hint?: string): never {
    const what =
      token.kind === 'eof'
        ? 'end of expression'
        : token.kind === 'string'
          ? `string ${JSON.stringify(token.value)}`
          : token.kind === 'number'
            ? `number ${token.value}`
            : token.kind === 'name'
              ? `name "${token.value}"`
              : `"${token.value}"`;
    return this.fail('syntax', `unexpected ${what}${hint ? ` (${hint})` : ''}`, token.column);
  }

  private checkKey(key: string, column: number): void {
    if (FORBIDDEN_KEYS.has(key)) this.fail('forbidden', `property "${key}" is not allowed`, column);
  }

  private expression(rbp: number): Node {
    if (++this.depth > MAX_DEPTH) this.fail('syntax', `expression nested deeper than ${MAX_DEPTH} levels`, this.peek().column);
    let left = this.prefix();
    for (;;) {
      const token = this.peek();
      const power = token.kind === 'punct' ? INFIX[token.value] : undefined;
      if (power === undefined || power <= rbp) break;
      left = this.infix(left, this.next(), power);
    }
    this.depth--;
    return left;
  }

  private prefix(): Node {
    const token = this.next();
    const column = token.column;
    switch (token.kind) {
      case 'number':
        return { kind: 'literal', value: token.number!, column };
      case 'string':
        return { kind: 'literal', value: token.value, column };
      case 'name':
        return this.name(token);
      case 'eof':
        return this.unexpected(token);
      case 'punct':
        break;
    }
    switch (token.value) {
      case '(': {
        const inner = this.expression(0);
        this.expect(')');
        return inner;
      }
      case '!':
      case '-':
      case '+':
        return { kind: 'unary', operator: token.value, operand: this.expression(PREFIX_POWER), column };
      case '[':
        return { kind: 'array', items: this.list(']'), column };
      case '{':
        return this.object(column);
      default:
        return this.unexpected(token);
    }
  }

  private name(token: Token): Node {
    const column = token.column;
    if (this.isPunct('(')) return this.call(token.value, column);
    if (token.value === 'Math' && this.isPunct('.')) {
      const dot = this.position;
      this.next();
      const member = this.next();
      if (member.kind === 'name' && this.isPunct('(')) return this.call(`Math.${member.value}`, column);
      this.position = dot;
    }
    if (Object.hasOwn(LITERALS, token.value)) return { kind: 'literal', value: LITERALS[token.value], column };
    if (!this.names.has(token.value)) {
      const known = [...this.names].map((n) => `"${n}"`).join(', ');
      this.fail('unknown-name', `unknown name "${token.value}"${known ? ` (known: ${known})` : ''}`, column);
    }
    return { kind: 'name', name: token.value, column };
  }

  private call(callee: string, column: number): Node {
    const fn = FUNCTIONS.get(callee);
    if (fn === undefined) {
      this.fail('unknown-name', `"${callee}" cannot be called (allowed: ${[...FUNCTIONS.keys()].filter((k) => !k.startsWith('Math.')).join(', ')})`, column);
    }
    this.expect('(');
    const args = this.list(')');
    if (args.length < fn.minArgs || args.length > fn.maxArgs) {
      const wanted = fn.minArgs === fn.maxArgs ? `${fn.minArgs}` : fn.maxArgs === Infinity ? `at least ${fn.minArgs}` : `${fn.minArgs} to ${fn.maxArgs}`;
      this.fail('syntax', `${callee}() takes ${wanted} argument${wanted === '1' ? '' : 's'}, got ${args.length}`, column);
    }
    return { kind: 'call', callee, args, column };
  }

  /** Comma-separated expressions up to `close` (a trailing comma is allowed). */
  private list(close: string): Node[] {
    const items: Node[] = [];
    while (!this.isPunct(close)) {
      items.push(this.expression(0));
      if (!this.isPunct(close)) this.expect(',');
    }
    this.next();
    return items;
  }

  private object(column: number): Node {
    const entries: { key: string; value: Node }[] = [];
    const seen = new Set<string>();
    while (!this.isPunct('}')) {
      const keyToken = this.next();
      let key: string;
      if (keyToken.kind === 'name' || keyToken.kind === 'string') key = keyToken.value;
      else if (keyToken.kind === 'number') key = String(keyToken.number);
      else return this.unexpected(keyToken, 'expected a property name');
      this.checkKey(key, keyToken.column);
      let value: Node;
      if (this.isPunct(':')) {
        this.next();
        value = this.expression(0);
      } else if (keyToken.kind === 'name') {
        value = this.name(keyToken); // shorthand `{ n }`
      } else {
        return this.unexpected(this.peek(), 'expected ":"');
      }
      if (seen.has(key)) entries.splice(entries.findIndex((e) => e.key === key), 1);
      seen.add(key);
      entries.push({ key, value });
      if (!this.isPunct('}')) this.expect(',');
    }
    this.next();
    return { kind: 'object', entries, column };
  }

  private infix(left: Node, token: Token, power: number): Node {
    const column = token.column;
    switch (token.value) {
      case '.':
      case '?.':
        return this.chain(left, token);
      case '[':
        return this.chain(left, token);
      case '?': {
        const then = this.expression(0);
        this.expect(':');
        const otherwise = this.expression(power - 1); // right-associative
        return { kind: 'conditional', test: left, then, otherwise, column };
      }
      default:
        return { kind: 'binary', operator: token.value as BinaryOperator, left, right: this.expression(power), column };
    }
  }

  /** A run of `.x`, `?.x`, `[e]`, `?.[e]`; wrapped in a chain node when it holds a `?.`. */
  private chain(object: Node, first: Token): Node {
    let node = object;
    let optional = false;
    let token: Token | undefined = first;
    while (token !== undefined) {
      const isOptional = token.value === '?.';
      optional ||= isOptional;
      if (token.value === '[' || (isOptional && this.isPunct('['))) {
        if (isOptional) this.next();
        const index = this.expression(0);
        this.expect(']');
        node = index.kind === 'literal' && (typeof index.value === 'string' || typeof index.value === 'number')
          ? this.member(node, index.value, isOptional, index.column)
          : { kind: 'index', object: node, index, optional: isOptional, column: token.column };
      } else {
        const name = this.next();
        if (name.kind !== 'name') this.unexpected(name, 'expected a property name');
        node = this.member(node, name.value, isOptional, name.column);
      }
      const next = this.peek();
      token = next.kind === 'punct' && (next.value === '.' || next.value === '?.' || next.value === '[') ? this.next() : undefined;
    }
    return optional ? { kind: 'chain', expression: node, column: object.column } : node;
  }

  private member(object: Node, key: string | number, optional: boolean, column: number): Node {
    if (typeof key === 'string') this.checkKey(key, column);
    return { kind: 'member', object, key, optional, column };
  }
}

/** Parses an expression into its AST, or throws an ExpressionError saying what and where. */
export function parseExpression(source: string, options: ParseOptions): Node {
  return new Parser(source, new Set(options.names)).parse();
}
