import type { AgentErrorCode } from '@novacron/api';

/** One of the error codes of the agent protocol (`AgentErrorCode`). */
export type AgentErrorCodeName = (typeof AgentErrorCode.options)[number];

/** A failure the agent reports to the control plane with a stable protocol code. */
export class AgentError extends Error {
  constructor(
    /** Protocol error code (`command.result.error.code`, `VmStatus.error.code`). */
    readonly code: AgentErrorCodeName,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'AgentError';
  }
}

const ERRNO_CODES: Record<string, AgentErrorCodeName> = {
  ENOENT: 'NOT_FOUND',
  EEXIST: 'IN_USE',
  ENOSPC: 'CAPACITY_EXCEEDED',
  EDQUOT: 'CAPACITY_EXCEEDED',
  EACCES: 'IO_ERROR',
  EPERM: 'IO_ERROR',
};

/** Maps anything thrown to `{code, message}` for the wire: QMP failures are hypervisor errors, errno codes map sensibly. */
export function toWireError(error: unknown): { code: AgentErrorCodeName; message: string } {
  if (error instanceof AgentError) return { code: error.code, message: error.message };
  const err = error as { code?: unknown; name?: string; message?: string };
  const message = err?.message ?? String(error);
  if (err?.name === 'QemuSpecError') return { code: 'BAD_REQUEST', message };
  if (err?.code === 'QMP_TIMEOUT') return { code: 'TIMEOUT', message };
  if (typeof err?.code === 'string' && err.code.startsWith('QMP_')) return { code: 'HYPERVISOR_ERROR', message };
  if (typeof err?.code === 'string' && ERRNO_CODES[err.code]) return { code: ERRNO_CODES[err.code], message };
  if (err?.name === 'AbortError' || err?.name === 'TimeoutError') return { code: 'TIMEOUT', message };
  return { code: 'INTERNAL', message };
}
