// Secret params: marked in the schema, published as such in JSON Schema, never echoed.
import type { z } from 'zod';

/** The placeholder that stands for a secret value in API answers and logs. */
export const SECRET_MASK = '••••••••';

/** Marks a param schema as secret (passphrases, tokens): masked in the API, the editor and logs. */
export function secret<S extends z.ZodType>(schema: S): S {
  return schema.meta({ secret: true, writeOnly: true }) as S;
}
