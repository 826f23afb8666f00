// The one way the back office talks to the API: JSON in and out, the session cookie, the CSRF header on
// every mutation, and the API's French error (message + field errors) carried in ApiError.

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly fields: Record<string, string> = {},
  ) {
    super(message);
  }
}

let csrfToken: string | null = null;
let onUnauthorized: (() => void) | null = null;

export function setCsrfToken(token: string | null) {
  csrfToken = token;
}

/** Called when a request answers 401 while signed in (expired or revoked session). */
export function setUnauthorizedHandler(fn: (() => void) | null) {
  onUnauthorized = fn;
}

export type Query = Record<string, string | number | boolean | undefined | null>;

export function qs(params: Query): string {
  const u = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== null && v !== '' && v !== false) u.set(k, String(v));
  const s = u.toString();
  return s ? `?${s}` : '';
}

export async function api<T>(method: string, path: string, body?: unknown, opts: { signal?: AbortSignal; quiet401?: boolean; headers?: Record<string, string> } = {}): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json', ...opts.headers };
  if (body !== undefined) headers['content-type'] = 'application/json';
  if (method !== 'GET' && csrfToken) headers['x-csrf-token'] = csrfToken;
  let res: Response;
  try {
    res = await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body), credentials: 'same-origin', signal: opts.signal });
  } catch (err) {
    if ((err as Error).name === 'AbortError') throw err;
    throw new ApiError(0, 'network', 'Le serveur ne répond pas. Vérifiez votre connexion puis réessayez.');
  }
  if (res.status === 204) return undefined as T;
  const data = await res.json().catch(() => null);
  if (!res.ok) {
    const e = data?.error;
    if (res.status === 401 && !opts.quiet401) onUnauthorized?.();
    throw new ApiError(res.status, e?.code ?? 'error', e?.message ?? `Erreur ${res.status}. Réessayez plus tard.`, e?.fields ?? {});
  }
  return data as T;
}

export const get = <T>(path: string, params: Query = {}, signal?: AbortSignal) => api<T>('GET', path + qs(params), undefined, { signal });
export const post = <T>(path: string, body: unknown = {}, headers?: Record<string, string>) => api<T>('POST', path, body, { headers });
export const del = <T>(path: string) => api<T>('DELETE', path);

/**
 * Sends one file as multipart/form-data (field « file ») with the CSRF header, reporting the upload's
 * progress (0..1). XMLHttpRequest, not fetch: only it reports upload progress.
 */
export function upload<T>(path: string, file: File, onProgress?: (fraction: number) => void): Promise<T> {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('POST', path);
    xhr.setRequestHeader('accept', 'application/json');
    if (csrfToken) xhr.setRequestHeader('x-csrf-token', csrfToken);
    xhr.responseType = 'json';
    if (onProgress) xhr.upload.onprogress = (e) => e.lengthComputable && onProgress(e.loaded / e.total);
    xhr.onerror = () => reject(new ApiError(0, 'network', 'Le serveur ne répond pas. Vérifiez votre connexion puis réessayez.'));
    xhr.onload = () => {
      const data = xhr.response;
      if (xhr.status >= 200 && xhr.status < 300) return resolve(data as T);
      const e = data?.error;
      if (xhr.status === 401) onUnauthorized?.();
      reject(new ApiError(xhr.status, e?.code ?? 'error', e?.message ?? `Erreur ${xhr.status}. Réessayez plus tard.`, e?.fields ?? {}));
    };
    const form = new FormData();
    form.append('file', file, file.name);
    xhr.send(form);
  });
}

/** Download link of a stored file under the name it was attached with (one content may carry several). */
export function fileDownloadUrl(sha256: string, filename: string): string {
  return `/api/v1/files/${sha256}?download=1&name=${encodeURIComponent(filename)}`;
}
