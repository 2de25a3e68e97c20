import { open, type FileHandle } from 'node:fs/promises';

// A fixed-size ring file holding the last `capacity` bytes of a VM's serial output. Layout: 8-byte magic, the total
// number of bytes ever written (u64 LE), then `capacity` data bytes; byte n of the stream lives at 24 + n % capacity.
// The file never grows, whatever the guest prints.
const MAGIC = Buffer.from('NCRING01');
const HEADER_BYTES = 24;

/** Default size of a VM's serial log ring. */
export const SERIAL_RING_BYTES = 256 * 1024;

/** Appends to a serial log ring file; appends are queued so they land in order. */
export class SerialLogRing {
  private written = 0;
  private queue: Promise<void> = Promise.resolve();

  private constructor(
    private readonly handle: FileHandle,
    /** Data bytes the ring holds. */
    readonly capacity: number,
  ) {}

  /** Opens (or creates) the ring at `path`; an existing ring of another size or format starts over. */
  static async open(path: string, capacity = SERIAL_RING_BYTES): Promise<SerialLogRing> {
    const handle = await open(path, 'r+').catch((error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT') return open(path, 'w+', 0o600);
      throw error;
    });
    const ring = new SerialLogRing(handle, capacity);
    const header = Buffer.alloc(HEADER_BYTES);
    const { bytesRead } = await handle.read(header, 0, HEADER_BYTES, 0);
    const { size } = await handle.stat();
    if (bytesRead === HEADER_BYTES && header.subarray(0, 8).equals(MAGIC) && header.readBigUInt64LE(16) === BigInt(capacity) && size === HEADER_BYTES + capacity) {
      ring.written = Number(header.readBigUInt64LE(8));
    } else {
      await handle.truncate(0);
      await handle.truncate(HEADER_BYTES + capacity);
      await ring.writeHeader();
    }
    return ring;
  }

  /** Total bytes ever appended. */
  get totalBytes(): number {
    return this.written;
  }

  /** Queues `data` for appending; resolves once it is in the file. */
  append(data: Buffer): Promise<void> {
    const chunk = data.length > this.capacity ? data.subarray(data.length - this.capacity) : data;
    const skipped = data.length - chunk.length;
    this.queue = this.queue.then(async () => {
      this.written += skipped;
      let at = this.written % this.capacity;
      let rest = chunk;
      while (rest.length) {
        const n = Math.min(rest.length, this.capacity - at);
        await this.handle.write(rest, 0, n, HEADER_BYTES + at);
        rest = rest.subarray(n);
        at = 0;
      }
      this.written += chunk.length;
      await this.writeHeader(); // after the data: a reader never sees a count ahead of the bytes
    });
    return this.queue;
  }

  /** Waits for queued appends and closes the file. */
  async close(): Promise<void> {
    await this.queue.catch(() => undefined);
    await this.handle.close();
  }

  private async writeHeader(): Promise<void> {
    const header = Buffer.alloc(HEADER_BYTES);
    MAGIC.copy(header, 0);
    header.writeBigUInt64LE(BigInt(this.written), 8);
    header.writeBigUInt64LE(BigInt(this.capacity), 16);
    await this.handle.write(header, 0, HEADER_BYTES, 0);
  }
}

/**
 * The last `maxBytes` of a serial log ring, oldest first (for `GET /api/v1/vms/{id}/serial-log` / `vm.serial.read`);
 * `truncated` when older output was dropped. A missing or foreign file reads as empty. Reading while the hub appends
 * may garble the oldest few bytes of the answer, never the newest.
 */
export async function readSerialLogRing(path: string, maxBytes: number): Promise<{ data: Buffer; truncated: boolean }> {
  const handle = await open(path, 'r').catch(() => undefined);
  if (!handle) return { data: Buffer.alloc(0), truncated: false };
  try {
    const header = Buffer.alloc(HEADER_BYTES);
    const { bytesRead } = await handle.read(header, 0, HEADER_BYTES, 0);
    if (bytesRead < HEADER_BYTES || !header.subarray(0, 8).equals(MAGIC)) return { data: Buffer.alloc(0), truncated: false };
    const written = Number(header.readBigUInt64LE(8));
    const capacity = Number(header.readBigUInt64LE(16));
    const n = Math.min(written, capacity, maxBytes);
    const data = Buffer.alloc(n);
    const start = (written - n) % capacity;
    const first = Math.min(n, capacity - start);
    await handle.read(data, 0, first, HEADER_BYTES + start);
    if (n > first) await handle.read(data, first, n - first, HEADER_BYTES);
    return { data, truncated: written > n };
  } finally {
    await handle.close();
  }
}
