import { ApiError, type ErrorCode } from '@novacron/api';

const mapped: Record<string, ErrorCode> = {
  BAD_REQUEST: 'BAD_REQUEST',
  NOT_FOUND: 'NOT_FOUND',
  INVALID_STATE: 'INVALID_STATE',
  IN_USE: 'IN_USE',
  CAPACITY_EXCEEDED: 'CAPACITY_EXCEEDED',
  PAYLOAD_TOO_LARGE: 'PAYLOAD_TOO_LARGE',
  FORBIDDEN_PATH: 'PATH_NOT_ALLOWED',
  TIMEOUT: 'NODE_TIMEOUT',
  UNSUPPORTED: 'UNSUPPORTED',
};

/** An error a node agent answered with, as an API error (unknown codes become HYPERVISOR_ERROR). */
export function agentError(code: string, message: string, nodeName?: string): ApiError {
  const where = nodeName ? ` (node ${nodeName})` : '';
  return new ApiError(mapped[code] ?? 'HYPERVISOR_ERROR', `${message}${where}`);
}
