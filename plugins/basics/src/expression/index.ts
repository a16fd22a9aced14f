// The safe expression language used by map, filter and inject: compileExpression(source, { names }) → (scope) => value.
import { compileAst, type Evaluate, type Scope } from './compiler.js';
import { LITERALS, parseExpression } from './parser.js';

export { ExpressionError, type ExpressionErrorCode } from './errors.js';
export type { Evaluate, Scope } from './compiler.js';

export interface CompileOptions {
  /** The names the expression may use, bound at each call by the scope object (`{ msg }`). */
  readonly names: readonly string[];
}

const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

function checkName(name: string): void {
  // Names inherited by every object would make `scope[name]` reach Object.prototype.
  if (!IDENTIFIER.test(name) || name in Object.prototype || name === 'Math' || Object.hasOwn(LITERALS, name)) {
    throw new TypeError(`"${name}" cannot be bound as an expression name`);
  }
}

/**
 * Compiles an expression such as `msg.temperature > 20 && { alert: upper(msg.room) }` into a
 * function of its scope. Throws an ExpressionError (code `syntax`, `unknown-name` or
 * `forbidden`, with the column) when the text is not a valid expression; the returned
 * function throws an ExpressionError (code `runtime`) naming the expression when evaluation fails.
 */
export function compileExpression(source: string, options: CompileOptions): (scope: Scope) => unknown {
  for (const name of options.names) checkName(name);
  const ast = parseExpression(source, options);
  const evaluate: Evaluate = compileAst(ast, source);
  return evaluate;
}
