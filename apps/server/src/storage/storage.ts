import type { Readable } from 'node:stream';

/** What `put` stored: a server-generated key, the byte size and the SHA-256 of the content. */
export interface StoredObject {
  readonly key: string;
  readonly sizeBytes: number;
  /** Lower-case hex SHA-256, computed while streaming. */
  readonly sha256: string;
}

/** Metadata of a stored object. */
export interface ObjectStat {
  readonly sizeBytes: number;
  readonly modifiedAt: Date;
}

/** Thrown by `put` when the stream is longer than `maxBytes`; nothing is kept. */
export class ObjectTooLargeError extends Error {
  constructor(readonly maxBytes: number) {
    super(`object is larger than ${maxBytes} bytes`);
    this.name = 'ObjectTooLargeError';
  }
}

/**
 * File storage by server-generated key. Keys never derive from user input (file names stay in the
 * database), so no user path reaches a file system or bucket. Drivers: local directory (default); an
 * S3-compatible driver implements the same interface (`localPath` then returns undefined and readers
 * copy the object to a temporary file).
 */
export interface FileStorage {
  /** Streams `source` into a new object; rejects with {@link ObjectTooLargeError} past `maxBytes`. */
  put(source: Readable, options?: { maxBytes?: number }): Promise<StoredObject>;
  /** A read stream of the object. Rejects when the key does not exist. */
  get(key: string): Promise<Readable>;
  /** The first `bytes` bytes (fewer when the object is shorter). */
  readHead(key: string, bytes: number): Promise<Uint8Array>;
  stat(key: string): Promise<ObjectStat | undefined>;
  /** Deletes the object; deleting a missing key is not an error. */
  delete(key: string): Promise<void>;
  /** A local file path for the object when the driver keeps files on this machine. */
  localPath(key: string): string | undefined;
}

// <yyyy>/<mm>/<uuid>: year and month keep directories small; nothing else is accepted as a key.
const KEY_PATTERN = /^\d{4}\/\d{2}\/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** True when `key` has the shape the server generates. */
export function isStorageKey(key: string): boolean {
  return KEY_PATTERN.test(key);
}

/** Throws unless `key` is a server-generated key: a second guard in front of every file-system call. */
export function assertStorageKey(key: string): string {
  if (!isStorageKey(key)) throw new Error('invalid storage key');
  return key;
}
