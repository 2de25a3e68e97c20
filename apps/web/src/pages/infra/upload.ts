// Streams a file to the image upload route with progress (fetch has no upload progress; XMLHttpRequest does).
import type { Operation } from '@novacron/api';
import { ApiRequestError } from '@novacron/client';
import { getAccessToken, refreshSession } from '../../api/session';

/** Uploads `file` as an image; `onProgress` gets 0..100. Answers the import operation. */
export async function uploadImage(file: File, query: { name: string; kind: string }, onProgress: (pct: number) => void): Promise<Operation> {
  const token = getAccessToken() ?? (await refreshSession())?.accessToken;
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('POST', `/api/v1/images/upload?${new URLSearchParams(query)}`);
    if (token) xhr.setRequestHeader('authorization', `Bearer ${token}`);
    xhr.setRequestHeader('content-type', 'application/octet-stream');
    xhr.upload.onprogress = (e) => e.lengthComputable && onProgress((e.loaded / e.total) * 100);
    xhr.onerror = () => reject(new TypeError('network error'));
    xhr.onload = () => {
      let body: unknown;
      try {
        body = JSON.parse(xhr.responseText);
      } catch {
        body = undefined;
      }
      if (xhr.status >= 200 && xhr.status < 300) resolve(body as Operation);
      else reject(new ApiRequestError((body as ApiRequestError['problem']) ?? { type: 'about:blank', title: xhr.statusText, status: xhr.status, detail: xhr.statusText, code: 'INTERNAL' }));
    };
    xhr.send(file);
  });
}
