import { ApiError, ensureCsrfToken } from './client';

/**
 * Calls to routes that API.md promises but the generated schema does not hold yet (the server side is being
 * built). Each use moves to the typed client once `npm run gen:api` picks the route up. A missing route answers
 * 404 route_not_found, which the pages show as "not available on this server".
 */
export async function pendingCall<T>(
  method: 'GET' | 'POST' | 'PUT',
  path: string,
  body?: unknown,
  extraHeaders: Record<string, string> = {},
): Promise<T> {
  const headers: Record<string, string> = { ...extraHeaders };
  if (method !== 'GET') {
    const token = await ensureCsrfToken();
    if (token) headers['x-csrf-token'] = token;
  }
  if (body !== undefined) headers['content-type'] = 'application/json';
  const response = await fetch(path, {
    method,
    headers,
    credentials: 'same-origin',
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  const parsed = text ? JSON.parse(text) : undefined;
  if (!response.ok) {
    const e = parsed?.error ?? {};
    throw new ApiError(
      response.status,
      e.type ?? 'internal',
      e.code ?? `http_${response.status}`,
      e.message ?? `The server answered ${response.status}.`,
      e.param ?? null,
    );
  }
  return parsed as T;
}
