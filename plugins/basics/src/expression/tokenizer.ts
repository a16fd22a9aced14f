// Splits an expression's text into tokens (numbers, strings, names, punctuators), each with its 1-based column.
import { ExpressionError } from './errors.js';

export type TokenKind = 'number' | 'string' | 'name' | 'punct' | 'eof';

export interface Token {
  readonly kind: TokenKind;
  /** The punctuator or name text, the decoded string, or the number's text. */
  readonly value: string;
  /** For numbers, the parsed value. */
  readonly number?: number;
  /** 1-based column of the token's first character. */
  readonly column: number;
}

// Longest first, so `===` wins over `==` and `=`.
const PUNCTUATORS = ['===', '!==', '==', '!=', '<=', '>=', '&&', '||', '??', '?.', '(', ')', '[', ']', '{', '}', ',', ':', '.', '?', '+', '-', '*', '/', '%', '<', '>', '!'];

const ESCAPES: Readonly<Record<string, string>> = { n: '\n', t: '\t', r: '\r', b: '\b', f: '\f', v: '\v', '0': '\0' };

function isDigit(c: string | undefined): boolean {
  return c !== undefined && c >= '0' && c <= '9';
}

function isNameStart(c: string | undefined): boolean {
  return c !== undefined && ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c === '_' || c === '$');
}

function isNamePart(c: string | undefined): boolean {
  return isNameStart(c) || isDigit(c);
}

/** Shows a character in an error message the way a person types it. */
export function describeChar(c: string): string {
  return /^[\x20-\x7e]$/.test(c) ? `"${c}"` : `U+${c.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}`;
}

export function tokenize(source: string): Token[] {
  const tokens: Token[] = [];
  const fail = (message: string, index: number): never => {
    throw new ExpressionError('syntax', `${message} at column ${index + 1}`, source, index + 1);
  };
  let i = 0;
  while (i < source.length) {
    const c = source[i]!;
    if (c === ' ' || c === '\t' || c === '\n' || c === '\r') {
      i++;
      continue;
    }
    const start = i;
    if (isDigit(c) || (c === '.' && isDigit(source[i + 1]))) {
      while (isDigit(source[i])) i++;
      if (source[i] === '.') {
        i++;
        while (isDigit(source[i])) i++;
      }
      if (source[i] === 'e' || source[i] === 'E') {
        let j = i + 1;
        if (source[j] === '+' || source[j] === '-') j++;
        if (!isDigit(source[j])) fail('malformed number', start);
        i = j;
        while (isDigit(source[i])) i++;
      }
      if (isNamePart(source[i])) fail(`unexpected ${describeChar(source[i]!)} after a number`, i);
      const text = source.slice(start, i);
      tokens.push({ kind: 'number', value: text, number: Number(text), column: start + 1 });
      continue;
    }
    if (isNameStart(c)) {
      while (isNamePart(source[i])) i++;
      tokens.push({ kind: 'name', value: source.slice(start, i), column: start + 1 });
      continue;
    }
    if (c === '"' || c === "'") {
      i++;
      let text = '';
      for (;;) {
        const d = source[i];
        if (d === undefined || d === '\n' || d === '\r') fail('unterminated string', start);
        if (d === c) break;
        if (d === '\\') {
          const e = source[i + 1];
          if (e === undefined) fail('unterminated string', start);
          if (e === 'u' || e === 'x') {
            const braced = e === 'u' && source[i + 2] === '{';
            const hex = braced
              ? /^\{([0-9a-fA-F]{1,6})\}/.exec(source.slice(i + 2))
              : (e === 'u' ? /^[0-9a-fA-F]{4}/ : /^[0-9a-fA-F]{2}/).exec(source.slice(i + 2));
            const digits = hex ? (braced ? hex[1]! : hex[0]) : undefined;
            const code = digits === undefined ? NaN : parseInt(digits, 16);
            if (!(code <= 0x10ffff)) fail('malformed escape sequence', i);
            text += String.fromCodePoint(code);
            i += 2 + hex![0].length;
            continue;
          }
          text += ESCAPES[e!] ?? e;
          i += 2;
          continue;
        }
        text += d;
        i++;
      }
      i++;
      tokens.push({ kind: 'string', value: text, column: start + 1 });
      continue;
    }
    const punct = PUNCTUATORS.find((p) => source.startsWith(p, i) && !(p === '?.' && isDigit(source[i + 2])));
    if (punct === undefined) fail(`unexpected ${describeChar(String.fromCodePoint(source.codePointAt(i)!))}`, i);
    tokens.push({ kind: 'punct', value: punct!, column: start + 1 });
    i += punct!.length;
  }
  tokens.push({ kind: 'eof', value: '', column: source.length + 1 });
  return tokens;
}
