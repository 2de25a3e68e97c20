import { ApiError, type Operation } from '@novacron/api';
import { EventEmitter } from 'node:events';
import type { TenantScope } from '../auth/principal';
import type { EventBus } from '../events/event-bus';
import type { Clock } from '../lib/clock';
import { newId } from '../lib/ids';
import { OperationRepository, toOperation } from './operation.repository';

/** What the work of an operation can use. */
export interface OperationContext {
  /** Aborted when the operation is cancelled. */
  signal: AbortSignal;
  /** Reports progress, 0–100. */
  progress(percent: number): Promise<void>;
  operationId: string;
}

/** Who and what an operation is about. */
export interface OperationMeta {
  kind: string;
  tenantId: string | null;
  resources: string[];
  createdBy: string | null;
  mayCancel?: boolean;
}

const TERMINAL = new Set(['succeeded', 'failed', 'cancelled']);

/** Runs long work as persisted, observable, cancellable operations. */
export class OperationService {
  private readonly running = new Map<string, AbortController>();
  private readonly changes = new EventEmitter();
  constructor(
    private readonly repo: OperationRepository,
    private readonly events: EventBus,
    private readonly clock: Clock,
  ) {
    this.changes.setMaxListeners(0);
  }

  /** Called at start: operations of a previous process can no longer finish. */
  async recover(): Promise<number> {
    return this.repo.failInterrupted(this.clock.now().toISOString());
  }

  /** Persists a running operation, starts `work` in the background and returns at once. */
  async start(meta: OperationMeta, work: (ctx: OperationContext) => Promise<Record<string, unknown> | void>): Promise<Operation> {
    const now = this.clock.now().toISOString();
    const id = newId();
    const row = {
      id, kind: meta.kind, status: 'running', progress: 0, may_cancel: meta.mayCancel ? 1 : 0,
      tenant_id: meta.tenantId, resources: JSON.stringify(meta.resources), result: null,
      error_code: null, error_message: null, created_by: meta.createdBy, created_at: now, updated_at: now,
    };
    await this.repo.insert(row);
    const op = toOperation(row);
    this.emit(op);
    const controller = new AbortController();
    this.running.set(id, controller);
    const ctx: OperationContext = {
      signal: controller.signal,
      operationId: id,
      progress: async (percent) => {
        await this.repo.update(id, { progress: Math.max(0, Math.min(100, Math.round(percent))), updated_at: this.clock.now().toISOString() });
        await this.publish(id);
      },
    };
    // The store may be gone when work ends during shutdown; that must not crash the process.
    this.execute(id, controller, ctx, work).catch((err) => process.emitWarning(`operation ${id}: could not record the outcome: ${(err as Error).message}`));
    return op;
  }

  private async execute(id: string, controller: AbortController, ctx: OperationContext, work: (ctx: OperationContext) => Promise<Record<string, unknown> | void>) {
    try {
      const result = await work(ctx);
      const cancelled = controller.signal.aborted;
      await this.repo.update(id, {
        status: cancelled ? 'cancelled' : 'succeeded',
        progress: cancelled ? undefined : 100,
        result: result ? JSON.stringify(result) : null,
        may_cancel: 0,
        error_code: cancelled ? 'OPERATION_CANCELLED' : null,
        error_message: cancelled ? 'cancelled' : null,
        updated_at: this.clock.now().toISOString(),
      });
    } catch (err) {
      const cancelled = controller.signal.aborted;
      const apiErr = err instanceof ApiError ? err : null;
      await this.repo.update(id, {
        status: cancelled ? 'cancelled' : 'failed',
        may_cancel: 0,
        error_code: cancelled ? 'OPERATION_CANCELLED' : (apiErr?.code ?? 'INTERNAL'),
        error_message: cancelled ? 'cancelled' : (err as Error).message,
        updated_at: this.clock.now().toISOString(),
      });
    } finally {
      this.running.delete(id);
      await this.publish(id);
    }
  }

  private async publish(id: string) {
    const row = await this.repo.get(id, 'all');
    if (row) this.emit(toOperation(row));
  }

  private emit(op: Operation) {
    this.changes.emit(op.id, op);
    this.events.publish({
      type: 'operation.updated',
      tenantId: op.tenantId,
      permission: 'operation:read',
      resource: `/api/v1/operations/${op.id}`,
      data: op as unknown as Record<string, unknown>,
    });
  }

  /** One operation inside the scope, or NOT_FOUND. */
  async get(id: string, scope: TenantScope): Promise<Operation> {
    const row = await this.repo.get(id, scope);
    if (!row) throw new ApiError('NOT_FOUND', `operation ${id} not found`);
    return toOperation(row);
  }

  /** Resolves when the operation ends or after `timeoutMs`, with its latest state. */
  async wait(id: string, scope: TenantScope, timeoutMs: number): Promise<Operation> {
    const current = await this.get(id, scope);
    if (TERMINAL.has(current.status) || timeoutMs <= 0) return current;
    await new Promise<void>((resolve) => {
      const onChange = (op: Operation) => {
        if (TERMINAL.has(op.status)) done();
      };
      const done = () => {
        clearTimeout(timer);
        this.changes.off(id, onChange);
        resolve();
      };
      const timer = setTimeout(done, timeoutMs);
      this.changes.on(id, onChange);
      // it may have ended between the first read and the subscription
      void this.repo.get(id, scope).then((row) => row && TERMINAL.has(row.status) && done());
    });
    return this.get(id, scope);
  }

  /** Cancels a cancellable running operation. */
  async cancel(id: string, scope: TenantScope): Promise<Operation> {
    const op = await this.get(id, scope);
    const controller = this.running.get(id);
    if (!op.mayCancel || !controller || TERMINAL.has(op.status)) throw new ApiError('INVALID_STATE', `operation ${id} cannot be cancelled`);
    controller.abort();
    return this.wait(id, scope, 10_000);
  }
}
