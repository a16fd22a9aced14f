// Turns a node's params JSON Schema into form fields, and checks a value against a field as the user types.
import type { JsonSchema } from '@rivulet/core';

export type FieldKind = 'select' | 'integer' | 'number' | 'boolean' | 'string' | 'secret' | 'json';

export interface FormField {
  readonly name: string;
  readonly kind: FieldKind;
  readonly label: string;
  readonly description?: string;
  readonly required: boolean;
  readonly defaultValue?: unknown;
  /** For `select`: the allowed values. */
  readonly options?: readonly (string | number | boolean)[];
  readonly minimum?: number;
  readonly maximum?: number;
  readonly exclusiveMinimum?: number;
  readonly exclusiveMaximum?: number;
  readonly minLength?: number;
  readonly maxLength?: number;
  readonly pattern?: string;
  readonly nullable: boolean;
  /** The field's own schema, for `json` fields (objects, arrays, unions). */
  readonly schema: JsonSchema;
}

type Schema = Readonly<Record<string, unknown>>;

const isSchema = (value: unknown): value is Schema => typeof value === 'object' && value !== null && !Array.isArray(value);
const num = (value: unknown): number | undefined => (typeof value === 'number' && Number.isFinite(value) ? value : undefined);
const SAFE = Number.MAX_SAFE_INTEGER;

/** The schema without a `null` alternative, and whether null was allowed. */
function unwrapNullable(schema: Schema): { schema: Schema; nullable: boolean } {
  for (const key of ['anyOf', 'oneOf'] as const) {
    const options = schema[key];
    if (!Array.isArray(options)) continue;
    const rest = options.filter((option) => !(isSchema(option) && option['type'] === 'null'));
    if (rest.length === 1 && rest.length < options.length && isSchema(rest[0])) {
      const { [key]: _union, ...outer } = schema;
      return { schema: { ...outer, ...rest[0] }, nullable: true };
    }
  }
  if (Array.isArray(schema['type']) && schema['type'].includes('null')) {
    const types = schema['type'].filter((t) => t !== 'null');
    return { schema: { ...schema, type: types.length === 1 ? types[0] : types }, nullable: true };
  }
  return { schema, nullable: false };
}

function kindOf(schema: Schema, secret: boolean): FieldKind {
  if (Array.isArray(schema['enum'])) return 'select';
  if ('const' in schema) return 'select';
  switch (schema['type']) {
    case 'integer':
      return 'integer';
    case 'number':
      return 'number';
    case 'boolean':
      return 'boolean';
    case 'string':
      return secret ? 'secret' : 'string';
    default:
      return secret ? 'secret' : 'json';
  }
}

function humanise(name: string): string {
  const words = name.replace(/([a-z0-9])([A-Z])/g, '$1 $2').replace(/[_-]+/g, ' ').toLowerCase();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

/** One field per top-level property, in schema order. */
export function fieldsFromSchema(paramsSchema: JsonSchema, secrets: readonly string[] = []): FormField[] {
  const properties = isSchema(paramsSchema['properties']) ? paramsSchema['properties'] : {};
  const required = new Set(Array.isArray(paramsSchema['required']) ? (paramsSchema['required'] as string[]) : []);
  return Object.entries(properties).flatMap(([name, raw]): FormField[] => {
    if (!isSchema(raw)) return [];
    const { schema, nullable } = unwrapNullable(raw);
    const secret = secrets.includes(name) || raw['secret'] === true || schema['secret'] === true;
    const kind = kindOf(schema, secret);
    const options = Array.isArray(schema['enum']) ? (schema['enum'] as (string | number | boolean)[]) : 'const' in schema ? [schema['const'] as string] : undefined;
    const minimum = num(schema['minimum']);
    const maximum = num(schema['maximum']);
    const description = typeof schema['description'] === 'string' ? schema['description'] : undefined;
    const title = typeof schema['title'] === 'string' ? schema['title'] : undefined;
    const pattern = typeof schema['pattern'] === 'string' ? schema['pattern'] : undefined;
    const exclusiveMinimum = num(schema['exclusiveMinimum']);
    const exclusiveMaximum = num(schema['exclusiveMaximum']);
    const minLength = num(schema['minLength']);
    const maxLength = num(schema['maxLength']);
    return [
      {
        name,
        kind,
        label: title ?? humanise(name),
        required: required.has(name),
        nullable,
        schema,
        ...(description ? { description } : {}),
        ...('default' in schema ? { defaultValue: schema['default'] } : {}),
        ...(options ? { options } : {}),
        // zod publishes ±MAX_SAFE_INTEGER bounds for plain ints: they are no real limit.
        ...(minimum !== undefined && Math.abs(minimum) < SAFE ? { minimum } : {}),
        ...(maximum !== undefined && Math.abs(maximum) < SAFE ? { maximum } : {}),
        ...(exclusiveMinimum !== undefined ? { exclusiveMinimum } : {}),
        ...(exclusiveMaximum !== undefined ? { exclusiveMaximum } : {}),
        ...(minLength !== undefined ? { minLength } : {}),
        ...(maxLength !== undefined ? { maxLength } : {}),
        ...(pattern ? { pattern } : {}),
      },
    ];
  });
}

/** What the user typed, turned into a param value: `undefined` means "not set" (the default applies). */
export type ParsedInput = { readonly ok: true; readonly value: unknown } | { readonly ok: false; readonly error: string };

/** Parses the text of an input (or the value of a select/checkbox) into the param's value. */
export function parseInput(field: FormField, input: string | boolean): ParsedInput {
  if (typeof input === 'boolean') return { ok: true, value: input };
  const text = input;
  if (text.trim() === '' && field.kind !== 'string' && field.kind !== 'secret') return { ok: true, value: undefined };
  if (text === '' && (field.kind === 'string' || field.kind === 'secret')) return { ok: true, value: undefined };
  switch (field.kind) {
    case 'integer':
    case 'number': {
      const value = Number(text);
      if (!Number.isFinite(value)) return { ok: false, error: `${field.name}: "${text}" is not a number` };
      return { ok: true, value };
    }
    case 'select': {
      const option = field.options?.find((candidate) => String(candidate) === text);
      return option === undefined ? { ok: false, error: `${field.name}: "${text}" is not one of ${field.options?.join(', ')}` } : { ok: true, value: option };
    }
    case 'json':
      try {
        return { ok: true, value: JSON.parse(text) as unknown };
      } catch (error) {
        return { ok: false, error: `${field.name}: not valid JSON (${error instanceof Error ? error.message : String(error)})` };
      }
    default:
      return { ok: true, value: text };
  }
}

/** The problem with a value for this field, or undefined when it is fine. `undefined` (not set) is fine unless required without default. */
export function validateValue(field: FormField, value: unknown): string | undefined {
  const name = field.name;
  if (value === undefined) return field.required && field.defaultValue === undefined ? `${name}: required` : undefined;
  if (value === null) return field.nullable ? undefined : `${name}: must not be empty`;
  switch (field.kind) {
    case 'integer':
    case 'number': {
      if (typeof value !== 'number' || !Number.isFinite(value)) return `${name}: must be a number`;
      if (field.kind === 'integer' && !Number.isInteger(value)) return `${name}: must be a whole number`;
      if (field.minimum !== undefined && value < field.minimum) return `${name}: must be at least ${field.minimum}`;
      if (field.maximum !== undefined && value > field.maximum) return `${name}: must be at most ${field.maximum}`;
      if (field.exclusiveMinimum !== undefined && value <= field.exclusiveMinimum) return `${name}: must be more than ${field.exclusiveMinimum}`;
      if (field.exclusiveMaximum !== undefined && value >= field.exclusiveMaximum) return `${name}: must be less than ${field.exclusiveMaximum}`;
      return undefined;
    }
    case 'boolean':
      return typeof value === 'boolean' ? undefined : `${name}: must be true or false`;
    case 'select':
      return field.options?.some((option) => option === value) ? undefined : `${name}: must be one of ${field.options?.join(', ')}`;
    case 'string':
    case 'secret': {
      if (typeof value !== 'string') return field.kind === 'secret' ? undefined : `${name}: must be text`;
      if (field.minLength !== undefined && value.length < field.minLength) return `${name}: must be at least ${field.minLength} characters`;
      if (field.maxLength !== undefined && value.length > field.maxLength) return `${name}: must be at most ${field.maxLength} characters`;
      if (field.pattern !== undefined && !safeRegExp(field.pattern)?.test(value)) return `${name}: must match ${field.pattern}`;
      return undefined;
    }
    case 'json':
      return jsonTypeProblem(name, field.schema, value);
  }
}

/** Checks every field of a params object; returns field name → problem. */
export function validateParams(fields: readonly FormField[], params: Readonly<Record<string, unknown>>): Map<string, string> {
  const problems = new Map<string, string>();
  for (const field of fields) {
    const problem = validateValue(field, params[field.name]);
    if (problem) problems.set(field.name, problem);
  }
  return problems;
}

/** How a value shows in its input. */
export function formatValue(field: FormField, value: unknown): string {
  if (value === undefined || value === null) return '';
  if (field.kind === 'json') return JSON.stringify(value);
  return String(value);
}

function jsonTypeProblem(name: string, schema: Schema, value: unknown): string | undefined {
  const type = schema['type'];
  if (type === 'array' && !Array.isArray(value)) return `${name}: must be a list`;
  if (type === 'object' && (typeof value !== 'object' || value === null || Array.isArray(value))) return `${name}: must be an object`;
  return undefined;
}

function safeRegExp(pattern: string): RegExp | undefined {
  try {
    return new RegExp(pattern, 'u');
  } catch {
    return undefined;
  }
}
