import { api } from '../../api/api';
import { networkError, parseProblem } from '../../api/api-error';

/** What an upload reports while the bytes travel. */
export interface UploadProgress {
  loaded: number;
  total: number;
}

function readJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

/**
 * Sends a file as multipart/form-data with XMLHttpRequest, because fetch cannot report upload
 * progress. The CSRF token comes through the API client, so an expired session is refreshed first.
 */
export async function uploadFile<T>(
  path: string,
  file: File,
  onProgress: (progress: UploadProgress) => void,
  signal?: AbortSignal,
): Promise<T> {
  const { csrf_token: token } = await api.get<{ csrf_token: string }>('/api/auth/csrf');
  const form = new FormData();
  form.append('file', file, file.name);
  return new Promise<T>((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('POST', path);
    xhr.withCredentials = true;
    xhr.setRequestHeader('accept', 'application/json, application/problem+json');
    xhr.setRequestHeader('x-csrf-token', token);
    xhr.upload.onprogress = (event) => {
      onProgress({ loaded: event.loaded, total: event.lengthComputable ? event.total : file.size });
    };
    xhr.onload = () => {
      const body = readJson(xhr.responseText);
      if (xhr.status >= 200 && xhr.status < 300) resolve(body as T);
      else reject(parseProblem(xhr.status, xhr.statusText, body));
    };
    xhr.onerror = () => {
      reject(networkError());
    };
    xhr.onabort = () => {
      reject(new DOMException('Upload cancelled', 'AbortError'));
    };
    signal?.addEventListener(
      'abort',
      () => {
        xhr.abort();
      },
      { once: true },
    );
    xhr.send(form);
  });
}
