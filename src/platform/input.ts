import type { FastifyInstance } from 'fastify';
import { invalid } from './errors';

// One gate for hostile input, before any route sees it: text PostgreSQL cannot store (NUL, lone surrogates) and
// characters XML 1.0 cannot carry (the C0 controls but tab, line feed, carriage return) are refused with 400, in
// JSON bodies (keys and values) and in URLs (path and query); JSON nests at most MAX_JSON_DEPTH levels.

export const MAX_JSON_DEPTH = 32;

/** True when text has a character that cannot be stored or written to an XML document: a C0 control other than
 * tab, line feed and carriage return, or a lone UTF-16 surrogate. */
export function hasForbiddenCharacters(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x20) {
      if (c !== 0x09 && c !== 0x0a && c !== 0x0d) return true;
    } else if (c >= 0xd800 && c <= 0xdbff) {
      const next = text.charCodeAt(i + 1);
      if (!(next >= 0xdc00 && next <= 0xdfff)) return true;
      i++;
    } else if (c >= 0xdc00 && c <= 0xdfff) return true;
  }
  return false;
}

/** Text XML 1.0 can carry: the forbidden characters (stored before they were refused at input) are dropped. */
export function stripInvalidXmlCharacters(text: string): string {
  if (!hasForbiddenCharacters(text)) return text;
  let out = '';
  for (const ch of text) if (!hasForbiddenCharacters(ch)) out += ch;
  return out;
}

// In a raw URL: %00-%1F and %7F; raw control bytes are checked by code.
const ENCODED_CONTROL = /%(?:[01][0-9a-f]|7f)/i;
const urlHasControl = (url: string) =>
  ENCODED_CONTROL.test(url) || [...url].some((ch) => ch.charCodeAt(0) < 0x20 || ch.charCodeAt(0) === 0x7f);

/** The path of the first offending value ("lines[2].description"), or null; throws on nesting deeper than the limit. */
export function findForbidden(value: unknown): string | null {
  const stack: { value: unknown; path: string; depth: number }[] = [{ value, path: '', depth: 0 }];
  while (stack.length > 0) {
    const item = stack.pop()!;
    if (typeof item.value === 'string') {
      if (hasForbiddenCharacters(item.value)) return item.path || 'body';
      continue;
    }
    if (!item.value || typeof item.value !== 'object') continue;
    if (item.depth >= MAX_JSON_DEPTH)
      throw invalid('json_too_deep', `The request body nests more than ${MAX_JSON_DEPTH} levels.`, item.path || null);
    if (Array.isArray(item.value))
      item.value.forEach((v, i) => {
        stack.push({ value: v, path: `${item.path}[${i}]`, depth: item.depth + 1 });
      });
    else
      for (const [k, v] of Object.entries(item.value)) {
        const path = item.path ? `${item.path}.${k}` : k;
        if (hasForbiddenCharacters(k)) return path;
        stack.push({ value: v, path, depth: item.depth + 1 });
      }
  }
  return null;
}

const forbiddenCharacters = (param: string | null) =>
  invalid(
    'invalid_characters',
    'Text must not contain NUL, control characters (other than tab and line breaks) or unpaired surrogates.',
    param,
  );

/** Refuses a JSON value with forbidden characters or too deep nesting. */
export function assertCleanJson(value: unknown): void {
  const path = findForbidden(value);
  if (path !== null) throw forbiddenCharacters(path);
}

/** Registers the gate: the URL at onRequest (before authentication), JSON bodies as they are parsed. */
export function registerInputGate(app: FastifyInstance): void {
  app.addHook('onRequest', async (req) => {
    const url = req.raw.url ?? '';
    if (!urlHasControl(url)) return;
    const q = url.indexOf('?');
    const inQuery = q >= 0 && urlHasControl(url.slice(q));
    let param: string | null = inQuery ? null : 'path';
    if (inQuery)
      for (const pair of url.slice(q + 1).split('&'))
        if (urlHasControl(pair)) {
          param = safeDecode(pair.split('=')[0] ?? '').replace(/[^\w.[\]-]/g, '') || null;
          break;
        }
    throw forbiddenCharacters(param);
  });
  const parseJson = app.getDefaultJsonParser('error', 'error');
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (req, body, done) => {
    parseJson(req, String(body), (err: Error | null, value?: unknown) => {
      if (err) return done(err, undefined);
      try {
        assertCleanJson(value);
      } catch (e) {
        return done(e as Error, undefined);
      }
      done(null, value);
    });
  });
}

function safeDecode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}
