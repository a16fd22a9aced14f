// A node's params form, generated from its JSON Schema, validated as the user types; server problems show on their field.
import { useEffect, useMemo, useRef, useState } from 'react';
import type { NodeDescriptor } from '@rivulet/core';
import { SECRET_MASK } from '@rivulet/core';
import { fieldsFromSchema, formatValue, parseInput, validateValue, type FormField } from '../model/schema-form.js';

export interface ParamFormProps {
  readonly nodeId: string;
  readonly descriptor: NodeDescriptor;
  readonly params: Readonly<Record<string, unknown>>;
  readonly serverProblems: Readonly<Record<string, string>>;
  /** Sets a param; `undefined` removes it (the default applies). */
  onChange(key: string, value: unknown): void;
}

export function ParamForm({ nodeId, descriptor, params, serverProblems, onChange }: ParamFormProps) {
  const fields = useMemo(() => fieldsFromSchema(descriptor.paramsSchema, descriptor.secrets), [descriptor]);
  if (fields.length === 0) return <p className="rv-muted">This node has no params.</p>;
  return (
    <form className="rv-form" onSubmit={(event) => event.preventDefault()} aria-label={`Params of ${nodeId}`}>
      {fields.map((field) => (
        <Field key={`${nodeId}.${field.name}`} nodeId={nodeId} field={field} value={params[field.name]} serverProblem={serverProblems[field.name]} onChange={onChange} />
      ))}
    </form>
  );
}

interface FieldProps {
  readonly nodeId: string;
  readonly field: FormField;
  readonly value: unknown;
  readonly serverProblem: string | undefined;
  onChange(key: string, value: unknown): void;
}

function Field({ nodeId, field, value, serverProblem, onChange }: FieldProps) {
  // The text stays as typed (even when invalid) until it parses; the graph only ever holds parsed values.
  const [text, setText] = useState(() => formatValue(field, value));
  const [typingError, setTypingError] = useState<string | undefined>();
  const textRef = useRef(text);
  textRef.current = text;
  // An outside change (undo, paste, load) replaces what is typed; the user's own edits do not.
  useEffect(() => {
    const parsed = parseInput(field, textRef.current);
    if (parsed.ok && parsed.value === value) return;
    setText(formatValue(field, value));
    setTypingError(undefined);
  }, [field, value]);

  const localProblem = typingError ?? validateValue(field, value);
  const problem = localProblem ?? serverProblem;
  const id = `param-${nodeId}-${field.name}`;
  const placeholder = field.defaultValue !== undefined ? `default: ${formatValue(field, field.defaultValue)}` : field.required ? 'required' : 'optional';
  const commitText = (next: string) => {
    setText(next);
    const parsed = parseInput(field, next);
    if (!parsed.ok) {
      setTypingError(parsed.error);
      return;
    }
    setTypingError(undefined);
    onChange(field.name, parsed.value);
  };

  let input;
  switch (field.kind) {
    case 'select':
      input = (
        <select id={id} data-testid={id} value={value === undefined ? '' : String(value)} onChange={(event) => commitText(event.target.value)} aria-invalid={Boolean(problem)}>
          <option value="">{field.defaultValue !== undefined ? `(default: ${String(field.defaultValue)})` : '(not set)'}</option>
          {field.options?.map((option) => (
            <option key={String(option)} value={String(option)}>
              {String(option)}
            </option>
          ))}
        </select>
      );
      break;
    case 'boolean':
      input = (
        <select
          id={id}
          data-testid={id}
          value={value === undefined ? '' : String(value)}
          onChange={(event) => onChange(field.name, event.target.value === '' ? undefined : event.target.value === 'true')}
          aria-invalid={Boolean(problem)}
        >
          <option value="">{field.defaultValue !== undefined ? `(default: ${String(field.defaultValue)})` : '(not set)'}</option>
          <option value="true">true</option>
          <option value="false">false</option>
        </select>
      );
      break;
    case 'json':
      input = (
        <textarea id={id} data-testid={id} value={text} rows={2} placeholder={placeholder} onChange={(event) => commitText(event.target.value)} aria-invalid={Boolean(problem)} spellCheck={false} />
      );
      break;
    default:
      input = (
        <input
          id={id}
          data-testid={id}
          type={field.kind === 'secret' ? 'password' : field.kind === 'integer' || field.kind === 'number' ? 'number' : 'text'}
          autoComplete={field.kind === 'secret' ? 'new-password' : 'off'}
          value={text}
          placeholder={field.kind === 'secret' && value === SECRET_MASK ? 'stored (hidden)' : placeholder}
          {...(field.minimum !== undefined ? { min: field.minimum } : {})}
          {...(field.maximum !== undefined ? { max: field.maximum } : {})}
          {...(field.kind === 'integer' ? { step: 1 } : {})}
          onChange={(event) => commitText(event.target.value)}
          aria-invalid={Boolean(problem)}
          aria-describedby={problem ? `${id}-problem` : undefined}
        />
      );
  }
  const bounds = field.minimum !== undefined || field.maximum !== undefined ? ` (${field.minimum ?? '…'}–${field.maximum ?? '…'})` : '';
  return (
    <div className={`rv-field${problem ? ' rv-field-invalid' : ''}`}>
      <label htmlFor={id}>
        {field.label}
        {field.required && field.defaultValue === undefined ? ' *' : ''}
        <span className="rv-muted">{bounds}</span>
        {field.kind === 'secret' && <span className="rv-badge">secret</span>}
      </label>
      {input}
      {field.description && <small className="rv-muted">{field.description}</small>}
      {problem && (
        <small className="rv-field-problem" id={`${id}-problem`} data-testid={`${id}-problem`} role="alert">
          {problem}
        </small>
      )}
    </div>
  );
}
