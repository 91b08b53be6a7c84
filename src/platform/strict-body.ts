import { validatorCompiler } from 'fastify-type-provider-zod';
import type { z } from 'zod';
import { invalid } from './errors';

// API.md "Additions…": unknown body fields are refused on authenticated JSON routes (400 `unknown_field`, param the
// field), so a misspelt optional field is noticed instead of silently dropped. zod objects strip unknown keys, so the
// body is walked against its schema before zod parses it. Public routes (the lead form, hosted pages, provider
// webhooks, sign-in and setup) keep ignoring what they do not know.

const PUBLIC_ROUTES = [/^\/api\/v1\/public\//, /^\/api\/v1\/auth\//, /^\/api\/v1\/setup\b/];

export function refusesUnknownFields(url: string): boolean {
  return url.startsWith('/api/v1/') && !PUBLIC_ROUTES.some((re) => re.test(url));
}

type Def = {
  type: string;
  shape?: Record<string, z.ZodType>;
  catchall?: z.ZodType;
  innerType?: z.ZodType;
  in?: z.ZodType;
  element?: z.ZodType;
  options?: z.ZodType[];
  getter?: () => z.ZodType;
};

const defOf = (schema: z.ZodType) => (schema as unknown as { _zod: { def: Def } })._zod.def;
const isPlainObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);
const join = (path: string, key: string) => (path ? `${path}.${key}` : key);

/** The path of the first field of `value` its schema does not name ("lines[1].discount"), or null. */
export function firstUnknownField(schema: z.ZodType, value: unknown, path = ''): string | null {
  const def = defOf(schema);
  switch (def.type) {
    case 'optional':
    case 'nullable':
    case 'default':
    case 'prefault':
    case 'nonoptional':
    case 'readonly':
    case 'catch':
      return def.innerType ? firstUnknownField(def.innerType, value, path) : null;
    case 'pipe':
      return def.in ? firstUnknownField(def.in, value, path) : null;
    case 'lazy':
      return def.getter ? firstUnknownField(def.getter(), value, path) : null;
    case 'object': {
      if (!isPlainObject(value) || !def.shape) return null;
      // An object that takes any further key (passthrough, catchall) has no unknown fields.
      const open = def.catchall !== undefined && defOf(def.catchall).type !== 'never';
      for (const [key, v] of Object.entries(value)) {
        // Own keys only: `toString` or `__proto__` in a body are not the schema's fields.
        const field = Object.hasOwn(def.shape, key) ? def.shape[key] : undefined;
        if (!field) {
          if (open) continue;
          return join(path, key);
        }
        const inner = firstUnknownField(field, v, join(path, key));
        if (inner) return inner;
      }
      return null;
    }
    case 'array': {
      if (!Array.isArray(value) || !def.element) return null;
      for (let i = 0; i < value.length; i++) {
        const inner = firstUnknownField(def.element, value[i], `${path}[${i}]`);
        if (inner) return inner;
      }
      return null;
    }
    case 'union': {
      // The option the value is (by zod's own judgement) decides; with none, zod's error says more than ours.
      const option = def.options?.find((o) => o.safeParse(value).success);
      return option ? firstUnknownField(option, value, path) : null;
    }
    default:
      return null;
  }
}

/** fastify-type-provider-zod's validator, refusing unknown body fields first where the API says so. */
export const strictValidatorCompiler: typeof validatorCompiler = (route) => {
  const validate = validatorCompiler(route);
  const schema = route.schema as unknown as z.ZodType | undefined;
  if (route.httpPart !== 'body' || !schema || !refusesUnknownFields(route.url) || !('_zod' in schema)) return validate;
  return (data: unknown) => {
    const field = firstUnknownField(schema, data);
    if (field)
      return {
        error: invalid('unknown_field', `${field}: this field is not known here; check its spelling.`, field),
      } as ReturnType<typeof validate>;
    return validate(data);
  };
};
