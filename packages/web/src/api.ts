/**
 * The API as the app calls it: JSON in and out, the signed-in person's bearer token on every
 * call (the app calls only `jwt` routes: a usage-plan key in a public config.json would be no
 * secret), and every refusal turned into an `ApiError` whose message is the API's own words
 * (`{ message, errors? }`, the body every Snapstack error and API Gateway error carries).
 */
import { paths } from './api-paths.js';

export interface Thumbnail {
  readonly size: number;
  readonly key: string;
  readonly width: number;
  readonly height: number;
  readonly url?: string;
}

/** An image item as `GET /images` and `POST /uploads` return it (the fields the app reads). */
export interface ImageItem {
  readonly image_id: string;
  readonly status: 'pending' | 'ready' | 'failed' | 'expired';
  readonly createdAt: string;
  readonly width?: number;
  readonly height?: number;
  readonly bytes?: number;
  readonly thumbnails?: readonly Thumbnail[];
  readonly error?: string;
}

export interface UserItem {
  readonly id: string;
  readonly name: string;
  readonly likes: number;
}

export interface Page<T> {
  readonly items: readonly T[];
  readonly cursor?: string;
}

/** POST /uploads: the pending image and the presigned POST its original goes to. */
export interface CreatedUpload {
  readonly image: ImageItem;
  readonly upload: { readonly url: string; readonly fields: Readonly<Record<string, string>> };
}

export class ApiError extends Error {
  override readonly name = 'ApiError';
  constructor(
    message: string,
    readonly status: number,
  ) {
    super(message);
  }
}

/** The words to show for a refused request, from its body when it has some. */
export function errorMessage(status: number, body: unknown): string {
  const fields = (typeof body === 'object' && body !== null ? body : {}) as Record<string, unknown>;
  const message = typeof fields.message === 'string' && fields.message !== '' ? fields.message : undefined;
  const details = Array.isArray(fields.errors) ? fields.errors.filter((e) => typeof e === 'string') : [];
  if (message) return details.length > 0 ? `${message}: ${details.join('; ')}` : message;
  if (status === 401 || status === 403) return 'You are not allowed to do that. Sign in again.';
  if (status >= 500) return 'The server failed. Try again in a moment.';
  return `The request was refused (HTTP ${status}).`;
}

export interface ApiOptions {
  readonly baseUrl: string;
  readonly token: () => string | undefined;
  /** Called on a 401: the token is no longer accepted. */
  readonly onUnauthorized: () => void;
  readonly fetcher?: typeof fetch;
}

export function createApi(options: ApiOptions) {
  const fetcher = options.fetcher ?? ((input, init) => fetch(input, init));

  async function call<T>(method: string, path: string, body?: unknown): Promise<T> {
    const headers: Record<string, string> = { authorization: `Bearer ${options.token() ?? ''}` };
    if (body !== undefined) headers['content-type'] = 'application/json';
    let response: Response;
    try {
      response = await fetcher(`${options.baseUrl}${path}`, {
        method,
        headers,
        ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
      });
    } catch {
      throw new ApiError('The API could not be reached. Check your connection and try again.', 0);
    }
    const text = await response.text();
    let parsed: unknown;
    try {
      parsed = text ? JSON.parse(text) : undefined;
    } catch {
      parsed = undefined;
    }
    if (response.status === 401) options.onUnauthorized();
    if (!response.ok) throw new ApiError(errorMessage(response.status, parsed), response.status);
    return parsed as T;
  }

  const query = (params: Record<string, string | undefined>) => {
    const search = new URLSearchParams();
    for (const [k, v] of Object.entries(params)) if (v !== undefined) search.set(k, v);
    const text = search.toString();
    return text ? `?${text}` : '';
  };

  return {
    listImages: (cursor?: string, limit = 24) =>
      call<Page<ImageItem>>('GET', `${paths.images()}${query({ limit: String(limit), cursor })}`),
    deleteImage: (id: string) => call<unknown>('DELETE', paths.image(id)),
    createUpload: (contentType: string, bytes: number) =>
      call<CreatedUpload>('POST', paths.uploads(), { contentType, bytes }),
    listUsers: (cursor?: string) => call<Page<UserItem>>('GET', `${paths.people()}${query({ cursor })}`),
    getUser: (id: string) => call<UserItem>('GET', paths.person(id)),
    like: (id: string) => call<unknown>('POST', paths.likes(id)),
    unlike: (id: string) => call<unknown>('DELETE', paths.likes(id)),
    /**
     * The original's bytes: the route answers 302 to a short-lived presigned GET, which fetch
     * follows (the bearer token is dropped on the cross-origin hop, as the presigned URL needs).
     */
    async original(id: string): Promise<Blob> {
      let response: Response;
      try {
        response = await fetcher(`${options.baseUrl}${paths.original(id)}`, {
          headers: { authorization: `Bearer ${options.token() ?? ''}` },
        });
      } catch {
        throw new ApiError('The original could not be downloaded. Try again.', 0);
      }
      if (response.status === 401) options.onUnauthorized();
      if (!response.ok) {
        const body = await response.json().catch(() => undefined);
        throw new ApiError(errorMessage(response.status, body), response.status);
      }
      return response.blob();
    },
  };
}

export type Api = ReturnType<typeof createApi>;
