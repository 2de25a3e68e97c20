import { ApiError, type CommandArgs, type Image, type ImageCreate, type ImageListQuery, type Operation } from '@novacron/api';
import { resolve, sep } from 'node:path';
import type { Readable } from 'node:stream';
import type { z } from 'zod';
import { scopeOf, type Principal } from '../auth/principal';
import type { ComputeDeps } from '../compute/compute-deps';
import { pickNode } from '../compute/pick-node';
import { narrow, targetTenant } from '../compute/tenancy';
import { newId } from '../lib/ids';
import { decodeCursor, toPage } from '../lib/pagination';
import type { ImageRow } from '../store/compute-schema';
import type { StorageRepository } from '../storage/storage.repository';
import type { VmRepository } from '../vms/vm.repository';
import type { OperationContext } from '../operations/operation.service';
import type { ImageRepository } from './image.repository';
import type { UploadSpool } from './upload-spool';

type ImportSource = CommandArgs<'image.import'>['source'];

/** Largest image accepted from a URL or an upload. */
export const MAX_IMAGE_BYTES = 64 * 1024 ** 3;

/** Row → wire shape. */
export function toImage(r: ImageRow): Image {
  const n = (v: number | null) => (v === null ? null : Number(v));
  return {
    id: r.id, name: r.name, kind: r.kind as Image['kind'], format: r.format, status: r.status as Image['status'],
    sizeBytes: n(r.size_bytes), virtualSizeBytes: n(r.virtual_size_bytes), sha256: r.sha256, tenantId: r.tenant_id, nodeId: r.node_id,
    source: { type: r.source_type as Image['source']['type'], detail: r.source_detail }, error: r.error_message,
    createdAt: r.created_at, updatedAt: r.updated_at,
  };
}

/** Whether `path` lies inside one of `dirs` (lexically; the agent re-checks with realpath against symlink escapes). */
export function insideImportDirs(path: string, dirs: readonly string[]): boolean {
  const p = resolve(path);
  return dirs.some((d) => {
    const dir = resolve(d);
    return p.startsWith(dir.endsWith(sep) ? dir : dir + sep);
  });
}

/** The image library: imports run on a node's agent (qemu-img convert and checksum there), as operations. */
export class ImageService {
  constructor(
    private readonly d: ComputeDeps,
    private readonly repo: ImageRepository,
    private readonly vms: VmRepository,
    private readonly storage: StorageRepository,
    private readonly spool: UploadSpool,
  ) {}

  private now() {
    return this.d.clock.now().toISOString();
  }

  async list(p: Principal, q: z.output<typeof ImageListQuery>) {
    const rows = await this.repo.list(narrow(scopeOf(p, 'image:read'), q.tenant), { limit: q.limit, before: decodeCursor(q.cursor), kind: q.kind, status: q.status, text: q.text });
    return toPage(rows, q.limit, toImage);
  }

  async row(p: Principal, id: string, permission: 'image:read' | 'image:delete' = 'image:read'): Promise<ImageRow> {
    const row = await this.repo.get(id, scopeOf(p, permission));
    if (!row) throw new ApiError('NOT_FOUND', `image ${id} not found`);
    return row;
  }

  async get(p: Principal, id: string): Promise<Image> {
    return toImage(await this.row(p, id));
  }

  /** A ready image of one of `kinds` the caller may read (for VM disks and boot). */
  async usable(p: Principal, id: string, kinds: readonly string[], what: string): Promise<ImageRow> {
    const row = await this.row(p, id);
    if (!kinds.includes(row.kind)) throw new ApiError('BAD_REQUEST', `${what}: image ${row.name} is a ${row.kind} image, expected ${kinds.join(' or ')}`);
    if (row.status !== 'ready') throw new ApiError('INVALID_STATE', `${what}: image ${row.name} is ${row.status}`);
    return row;
  }

  private async begin(p: Principal, name: string, kind: string, tenantName: string | undefined, source: { type: 'path' | 'url' | 'upload'; detail: string }) {
    const tenantId = targetTenant(p, 'image:write', tenantName);
    if (await this.repo.nameTaken(tenantId, name)) throw new ApiError('ALREADY_EXISTS', `an image named ${name} exists`);
    const nodeId = await pickNode(this.d, { vcpus: 0, memoryMiB: 0 });
    const now = this.now();
    const row: ImageRow = {
      id: newId(), tenant_id: tenantId, name, kind, format: null, status: 'importing', size_bytes: null, virtual_size_bytes: null, sha256: null,
      node_id: nodeId, source_type: source.type, source_detail: source.detail, error_message: null, created_by: p.userId, created_at: now, updated_at: now,
    };
    await this.repo.insert(row);
    return row;
  }

  private runImport(p: Principal, row: ImageRow, source: (ctx: OperationContext) => Promise<ImportSource>, cleanup?: () => void, progressFrom = 0) {
    return this.d.operations.start({ kind: 'image.import', tenantId: row.tenant_id, resources: [`/api/v1/images/${row.id}`], createdBy: p.userId, mayCancel: true }, async (ctx) => {
      try {
        const src = await source(ctx);
        let last = -1;
        const res = await this.d.hub.command(row.node_id, 'image.import', {
          imageId: row.id, kind: row.kind as Image['kind'], source: src, importDirs: this.d.config.importDirs, maxBytes: MAX_IMAGE_BYTES,
        }, {
          timeoutMs: 2 * 3600_000,
          signal: ctx.signal,
          onProgress: (pct) => {
            const overall = Math.floor(progressFrom + (pct * (100 - progressFrom)) / 100);
            if (overall !== last) void ctx.progress((last = overall)).catch(() => {});
          },
        });
        await this.repo.update(row.id, {
          status: 'ready', format: res.format, size_bytes: res.sizeBytes, virtual_size_bytes: res.virtualSizeBytes, sha256: res.sha256, updated_at: this.now(),
        });
        return { imageId: row.id };
      } catch (err) {
        await this.repo.delete(row.id);
        throw err;
      } finally {
        cleanup?.();
      }
    });
  }

  /** `POST /api/v1/images` from a path inside NOVACRON_IMPORT_DIRS or an http(s) URL. */
  async create(p: Principal, input: z.output<typeof ImageCreate>): Promise<Operation> {
    if ('path' in input.source) {
      const path = input.source.path;
      if (!this.d.config.importDirs.length) throw new ApiError('PATH_NOT_ALLOWED', 'importing by path is off: no NOVACRON_IMPORT_DIRS configured');
      if (!insideImportDirs(path, this.d.config.importDirs)) throw new ApiError('PATH_NOT_ALLOWED', `${path} is not inside an import directory (NOVACRON_IMPORT_DIRS)`);
      const row = await this.begin(p, input.name, input.kind, input.tenant, { type: 'path', detail: resolve(path) });
      return this.runImport(p, row, async () => ({ type: 'path', path: resolve(path) }));
    }
    const url = input.source.url;
    const row = await this.begin(p, input.name, input.kind, input.tenant, { type: 'url', detail: url });
    return this.runImport(p, row, async () => ({ type: 'url', url }));
  }

  /** `POST /api/v1/images/upload`: answers once the body is spooled; the node then fetches it. */
  async upload(p: Principal, q: { name: string; kind: string; tenant?: string }, body: Readable, contentLength: number | undefined): Promise<Operation> {
    const row = await this.begin(p, q.name, q.kind, q.tenant, { type: 'upload', detail: q.name });
    let uploadId: string | undefined;
    let opCtx: OperationContext | undefined;
    let last = -1;
    // Receiving is the first half of the progress when the size is known, the node's import the second.
    const onBytes = (n: number) => {
      const pct = contentLength ? Math.min(50, Math.floor((n / contentLength) * 50)) : 0;
      if (opCtx && pct !== last) void opCtx.progress((last = pct)).catch(() => {});
    };
    const spooled = this.spool.receive(body, row.node_id!, MAX_IMAGE_BYTES, onBytes);
    spooled.catch(() => {}); // awaited below and inside the operation
    const op = await this.runImport(p, row, async (ctx) => {
      opCtx = ctx;
      const u = await spooled;
      uploadId = u.id;
      return { type: 'upload', uploadId: u.id, sizeBytes: u.sizeBytes };
    }, () => uploadId && this.spool.remove(uploadId), contentLength ? 50 : 0);
    await spooled; // an oversized or broken upload fails the request itself (the operation fails with it)
    return op;
  }

  /** Deletes an image no VM or volume uses, on its node and in the library. */
  async delete(p: Principal, id: string): Promise<void> {
    const row = await this.row(p, id, 'image:delete');
    if (row.status === 'importing') throw new ApiError('INVALID_STATE', `image ${row.name} is still importing`);
    const users = await this.vms.imageUsers(row.id);
    if (users) throw new ApiError('IN_USE', `image ${row.name} is used by ${users} VM disks or boot settings`);
    const volumes = await this.storage.fromImage(row.id);
    if (volumes) throw new ApiError('IN_USE', `image ${row.name} backs ${volumes} volumes`);
    if (row.node_id && this.d.hub.isOnline(row.node_id)) await this.d.hub.command(row.node_id, 'image.delete', { imageId: row.id });
    else if (row.status === 'ready') throw new ApiError('NODE_UNREACHABLE', `the node holding image ${row.name} is offline`);
    await this.repo.delete(row.id);
  }
}
