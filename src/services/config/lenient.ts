import { z } from 'zod';
import { formatZodError } from '../../shared/validation';

export interface FieldProblem {
  path: string;
  message: string;
}

function unwrapObject(schema: z.ZodType): z.ZodObject | null {
  let s: z.ZodType = schema;
  // peel default/optional wrappers to find an object shape
  for (let i = 0; i < 5; i++) {
    if (s instanceof z.ZodObject) return s;
    if (s instanceof z.ZodDefault || s instanceof z.ZodOptional || s instanceof z.ZodNullable) {
      s = s.unwrap() as z.ZodType;
      continue;
    }
    return null;
  }
  return null;
}

/**
 * Parses `value` against an object schema field by field: a field that fails keeps its default
 * (the schema's own) and yields a problem; unknown keys yield a problem and are ignored.
 * The result always satisfies the schema.
 */
export function parseLenient<S extends z.ZodObject>(
  schema: S,
  value: unknown,
  basePath = '',
): { value: z.output<S>; problems: FieldProblem[] } {
  const problems: FieldProblem[] = [];
  const input =
    value && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
  if (value !== undefined && (typeof value !== 'object' || value === null || Array.isArray(value))) {
    problems.push({ path: basePath || '(root)', message: 'expected an object; using defaults' });
  }
  const out: Record<string, unknown> = {};
  const shape = schema.shape as Record<string, z.ZodType>;
  for (const key of Object.keys(input)) {
    if (!(key in shape)) problems.push({ path: join(basePath, key), message: 'unknown setting, ignored' });
  }
  for (const [key, fieldSchema] of Object.entries(shape)) {
    const path = join(basePath, key);
    const raw = input[key];
    const inner = unwrapObject(fieldSchema);
    if (inner && raw !== undefined) {
      const nested = parseLenient(inner, raw, path);
      problems.push(...nested.problems);
      out[key] = nested.value;
      continue;
    }
    const r = fieldSchema.safeParse(raw);
    if (r.success) {
      out[key] = r.data;
    } else {
      problems.push({ path, message: `${formatZodError(r.error)}; using the default` });
      out[key] = fieldSchema.safeParse(undefined).success ? fieldSchema.parse(undefined) : undefined;
    }
  }
  const final = schema.safeParse(out);
  if (final.success) return { value: final.data as z.output<S>, problems };
  // cross-field refinements failed: fall back to all defaults for this object
  problems.push({ path: basePath || '(root)', message: `${formatZodError(final.error)}; using defaults` });
  return { value: schema.parse({}) as z.output<S>, problems };
}

function join(base: string, key: string): string {
  return base ? `${base}.${key}` : key;
}
