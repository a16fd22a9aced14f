// Graph files as text: strict JSON parsing with line/column for syntax errors and for validation issues.
import { findNodeAtLocation, parseTree, printParseErrorCode, type Node as JsonNode, type ParseError } from 'jsonc-parser';
import type { Catalogue } from '../catalogue/catalogue.js';
import { errorMessage, type GraphIssue, type IssuePath } from '../errors.js';
import { validateGraph, type ValidationResult } from './validate.js';

/** A 1-based position in the source text. */
export interface TextLocation {
  readonly line: number;
  readonly column: number;
}

export type ParsedGraphText =
  | { readonly ok: true; readonly value: unknown; readonly source?: string; locate(path: IssuePath): TextLocation | undefined }
  | { readonly ok: false; readonly issues: GraphIssue[]; readonly source?: string };

const SYNTAX_MESSAGES: Readonly<Record<string, string>> = {
  InvalidSymbol: 'unexpected character',
  InvalidNumberFormat: 'invalid number',
  PropertyNameExpected: 'expected a property name in double quotes',
  ValueExpected: 'expected a value',
  ColonExpected: 'expected ":" after the property name',
  CommaExpected: 'expected "," between items',
  CloseBraceExpected: 'expected "}" to close the object',
  CloseBracketExpected: 'expected "]" to close the array',
  EndOfFileExpected: 'unexpected content after the end of the document',
  InvalidCommentToken: 'comments are not allowed in JSON',
  UnexpectedEndOfComment: 'comments are not allowed in JSON',
  UnexpectedEndOfString: 'unterminated string',
  UnexpectedEndOfNumber: 'unterminated number',
  InvalidUnicode: 'invalid \\u escape in a string',
  InvalidEscapeCharacter: 'invalid escape character in a string',
  InvalidCharacter: 'invalid character in a string (control characters must be escaped)',
};

/** Converts offsets to 1-based line and column (columns count UTF-16 units, as editors do). */
function lineIndex(text: string): (offset: number) => TextLocation {
  const starts = [0];
  for (let i = 0; i < text.length; i++) {
    const char = text.charCodeAt(i);
    if (char === 10 || (char === 13 && text.charCodeAt(i + 1) !== 10)) starts.push(i + 1);
  }
  return (offset) => {
    let low = 0;
    let high = starts.length - 1;
    while (low < high) {
      const middle = (low + high + 1) >> 1;
      if (starts[middle]! <= offset) low = middle;
      else high = middle - 1;
    }
    return { line: low + 1, column: offset - starts[low]! + 1 };
  };
}

/** The character before `offset`, skipping whitespace. */
function previousSignificant(text: string, offset: number): string | undefined {
  for (let i = offset - 1; i >= 0; i--) if (!/\s/.test(text[i]!)) return text[i];
  return undefined;
}

function syntaxMessage(text: string, error: ParseError): string {
  const name = printParseErrorCode(error.error);
  const found = text[error.offset];
  // A trailing comma surfaces as "property name/value expected" right before a closing bracket.
  if ((name === 'PropertyNameExpected' || name === 'ValueExpected') && (found === '}' || found === ']') && previousSignificant(text, error.offset) === ',') {
    return 'trailing comma is not allowed in JSON';
  }
  if (text.startsWith('/', error.offset) && (text[error.offset + 1] === '/' || text[error.offset + 1] === '*')) return 'comments are not allowed in JSON';
  const reason = SYNTAX_MESSAGES[name] ?? name;
  if (error.offset >= text.length) return `${reason}, but the file ended`;
  return found !== undefined && !/\s/.test(found) ? `${reason}, found ${JSON.stringify(found)}` : reason;
}

/** The node at `path`, or the nearest ancestor that exists (a missing param points at its params object). */
function nearestNode(root: JsonNode, path: IssuePath): JsonNode | undefined {
  for (let length = path.length; length >= 0; length--) {
    const node = findNodeAtLocation(root, [...path.slice(0, length)]);
    if (node) return node;
  }
  return undefined;
}

/**
 * Parses graph text as strict JSON (no comments, no trailing commas). A syntax error is a
 * 'json-syntax' issue with line and column; on success, `locate` maps an issue path to its position.
 */
export function parseGraphText(text: string, source?: string): ParsedGraphText {
  // A byte-order mark is not JSON but editors write it; a space keeps the offsets unchanged.
  const clean = text.charCodeAt(0) === 0xfeff ? ` ${text.slice(1)}` : text;
  const errors: ParseError[] = [];
  const root = parseTree(clean, errors, { disallowComments: true, allowTrailingComma: false, allowEmptyContent: false });
  const toLocation = lineIndex(clean);
  const withSource = source !== undefined ? { source } : {};
  const first = errors[0];
  if (first || !root) {
    const empty = clean.trim() === '';
    const offset = empty ? 0 : (first?.offset ?? 0);
    const message = first && !empty ? syntaxMessage(clean, first) : 'the file is empty: expected a graph object';
    return { ok: false, issues: [{ code: 'json-syntax', path: [], message: `invalid JSON: ${message}`, ...toLocation(offset) }], ...withSource };
  }
  let value: unknown;
  try {
    value = JSON.parse(clean);
  } catch (error) {
    // The tolerant parser and JSON.parse disagree only on exotic input; JSON.parse has the last word.
    return { ok: false, issues: [{ code: 'json-syntax', path: [], message: `invalid JSON: ${errorMessage(error)}`, line: 1, column: 1 }], ...withSource };
  }
  return {
    ok: true,
    value,
    ...withSource,
    locate(path) {
      const node = nearestNode(root, path);
      return node ? toLocation(node.offset) : undefined;
    },
  };
}

/** Parses and validates graph text; every issue carries the line and column it points at. */
export function validateGraphText(text: string, catalogue: Catalogue, source?: string): ValidationResult {
  const parsed = parseGraphText(text, source);
  if (!parsed.ok) return { ok: false, issues: parsed.issues };
  const result = validateGraph(parsed.value, catalogue);
  if (result.ok) return result;
  return { ok: false, issues: result.issues.map((found) => ({ ...found, ...parsed.locate(found.path) })) };
}
