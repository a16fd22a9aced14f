// Param schemas shared by the nodes that take an expression: checked when the graph is validated, not when it starts.
import { z } from 'zod';
import { compileExpression, ExpressionError } from './expression/index.js';

/** A string param holding an expression over `names`; a syntax error becomes a zod issue at the param's path. */
export function expressionParam(names: readonly string[], description: string) {
  return z
    .string()
    .min(1)
    .describe(description)
    .superRefine((source, ctx) => {
      try {
        compileExpression(source, { names });
      } catch (error) {
        if (!(error instanceof ExpressionError)) throw error;
        ctx.addIssue({ code: 'custom', message: error.message });
      }
    });
}
