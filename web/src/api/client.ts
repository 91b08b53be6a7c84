import createClient, { type Middleware } from 'openapi-fetch';
import type { paths } from './schema';

/** An error answer of the API: `{ error: { type, code, message, param } }`. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly type: string,
    readonly code: string,
    message: string,
    readonly param: string | null = null,
  ) {
    super(message);
    this.name = 'ApiError';
  }

  /** The route itself is missing: the feature is not available on this server (yet). */
  get isMissingRoute(): boolean {
    return this.status === 404 && this.code === 'route_not_found';
  }
}

export function isMissingRoute(err: unknown): boolean {
  return err instanceof ApiError && err.isMissingRoute;
}

let csrfToken: string | null = null;

/** The session's CSRF token (returned by login and setup; GET /auth/csrf after a reload). */
export function setCsrfToken(token: string | null): void {
  csrfToken = token;
}

export async function ensureCsrfToken(): Promise<string | null> {
  if (csrfToken) return csrfToken;
  const res = await fetch('/api/v1/auth/csrf', { credentials: 'same-origin' });
  if (res.ok) csrfToken = ((await res.json()) as { csrf_token: string | null }).csrf_token;
  return csrfToken;
}

const SAFE = new Set(['GET', 'HEAD', 'OPTIONS']);

const csrf: Middleware = {
  async onRequest({ request }) {
    if (SAFE.has(request.method) || request.url.endsWith('/auth/login') || request.url.endsWith('/setup'))
      return request;
    const token = await ensureCsrfToken();
    if (token) request.headers.set('x-csrf-token', token);
    return request;
  },
};

/** The typed API client: paths and bodies come from the generated OpenAPI types (npm run gen:api). */
export const api = createClient<paths>({ baseUrl: '', credentials: 'same-origin' });
api.use(csrf);

async function errorFrom(response: Response, body?: unknown): Promise<ApiError> {
  let parsed = body;
  if (parsed === undefined) {
    try {
      parsed = await response.json();
    } catch {
      parsed = undefined;
    }
  }
  const e = (parsed as { error?: { type?: string; code?: string; message?: string; param?: string | null } })?.error;
  return new ApiError(
    response.status,
    e?.type ?? 'internal',
    e?.code ?? `http_${response.status}`,
    e?.message ?? `The server answered ${response.status} ${response.statusText}.`,
    e?.param ?? null,
  );
}

interface FetchResult {
  data?: unknown;
  error?: unknown;
  response: Response;
}

/** Awaits an openapi-fetch call and returns its data, or throws an ApiError with the API's error body. */
export async function call<R extends FetchResult>(pending: Promise<R>): Promise<NonNullable<R['data']>> {
  const result = await pending;
  if (!result.response.ok) {
    if (result.response.status === 403 && (result.error as any)?.error?.code === 'csrf_token_invalid')
      setCsrfToken(null);
    throw await errorFrom(result.response, result.error);
  }
  return result.data as NonNullable<R['data']>;
}

/** Downloads a document (PDF, UBL, CSV) from the API as a file, with the session cookie. */
export async function downloadFile(url: string, fallbackName: string): Promise<void> {
  const response = await fetch(url, { credentials: 'same-origin' });
  if (!response.ok) throw await errorFrom(response);
  const blob = await response.blob();
  const disposition = response.headers.get('content-disposition') ?? '';
  const name = /filename="?([^";]+)"?/.exec(disposition)?.[1] ?? fallbackName;
  const href = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = href;
  a.download = name;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(href), 1000);
}
