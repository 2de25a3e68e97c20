import { ApiRequestError } from '@novacron/client';

/** Reads the JSON answer of a request sent with `ApiSession.fetchRaw`, throwing ApiRequestError for problems like the typed client does. */
export async function readApiAnswer<T>(res: Response): Promise<T> {
  const text = await res.text();
  let data: unknown;
  try {
    data = text ? JSON.parse(text) : undefined;
  } catch {
    data = undefined;
  }
  if (!res.ok) {
    const p = data as { code?: string } | undefined;
    throw new ApiRequestError(
      p?.code ? (p as never) : { type: 'about:blank', title: res.statusText, status: res.status, detail: text.slice(0, 200), code: 'INTERNAL' },
    );
  }
  return data as T;
}
