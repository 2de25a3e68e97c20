import { ApiError } from '@novacron/api';
import { createWriteStream, mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { Transform } from 'node:stream';
import { newId } from '../lib/ids';

/** An uploaded file waiting for a node agent to fetch it. */
export interface SpooledUpload {
  id: string;
  path: string;
  sizeBytes: number;
  /** Only this node may fetch it. */
  nodeId: string;
}

/** Keeps uploaded image bytes on the control plane until the node's agent has fetched them (`GET /api/v1/agent/uploads/{id}`). */
export class UploadSpool {
  private readonly uploads = new Map<string, SpooledUpload>();
  constructor(private readonly dir: string) {}

  /** Streams the request body to a file, refusing more than `maxBytes`. */
  async receive(body: Readable, nodeId: string, maxBytes: number, onBytes?: (n: number) => void): Promise<SpooledUpload> {
    mkdirSync(this.dir, { recursive: true, mode: 0o700 });
    const id = newId();
    const path = join(this.dir, id);
    let size = 0;
    const counter = new Transform({
      transform(chunk: Buffer, _enc, cb) {
        size += chunk.length;
        if (size > maxBytes) return cb(new ApiError('PAYLOAD_TOO_LARGE', `uploads are limited to ${maxBytes} bytes`));
        onBytes?.(size);
        cb(null, chunk);
      },
    });
    try {
      await pipeline(body, counter, createWriteStream(path, { mode: 0o600 }));
    } catch (err) {
      rmSync(path, { force: true });
      if (err instanceof ApiError) throw err;
      throw new ApiError('BAD_REQUEST', `upload interrupted: ${(err as Error).message}`);
    }
    if (size === 0) {
      rmSync(path, { force: true });
      throw new ApiError('BAD_REQUEST', 'the upload is empty: send the image bytes as application/octet-stream');
    }
    const upload = { id, path, sizeBytes: size, nodeId };
    this.uploads.set(id, upload);
    return upload;
  }

  /** The upload a node may fetch. */
  get(id: string, nodeId: string): SpooledUpload | undefined {
    const u = this.uploads.get(id);
    return u && u.nodeId === nodeId ? u : undefined;
  }

  /** Deletes the file once the import ended. */
  remove(id: string): void {
    const u = this.uploads.get(id);
    this.uploads.delete(id);
    if (u) rmSync(u.path, { force: true });
  }

  /** Leftovers of a previous process. */
  clear(): void {
    rmSync(this.dir, { recursive: true, force: true });
  }
}
