import { ApiError, ensureCsrfToken } from './client';

/** PUT /settings/logo takes the image itself as the body (PNG or JPEG, at most 512 KB). */
export async function uploadLogo(file: File): Promise<void> {
  const token = await ensureCsrfToken();
  const response = await fetch('/api/v1/settings/logo', {
    method: 'PUT',
    credentials: 'same-origin',
    headers: { 'content-type': file.type, ...(token ? { 'x-csrf-token': token } : {}) },
    body: file,
  });
  if (!response.ok) {
    const body = await response.json().catch(() => ({}));
    const e = body?.error ?? {};
    throw new ApiError(
      response.status,
      e.type ?? 'internal',
      e.code ?? 'logo_failed',
      e.message ?? 'Upload failed.',
      e.param ?? 'logo',
    );
  }
}
