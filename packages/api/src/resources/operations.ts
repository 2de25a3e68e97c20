import { z } from 'zod';
import { IdParams, Operation, OperationStatus, Page, PageQuery } from '../common';
import { defineRoute } from '../route';

/** Filters of the operation list. */
export const OperationListQuery = PageQuery.extend({
  status: OperationStatus.optional(),
  resource: z.string().max(200).optional(),
});

/** Async operation routes. */
export const operationRoutes = {
  'operations.list': defineRoute({
    method: 'GET',
    path: '/api/v1/operations',
    access: 'operation:read',
    tenantScoped: true,
    summary: 'Running and recent operations, newest first',
    tag: 'operations',
    query: OperationListQuery,
    response: Page(Operation),
  }),
  'operations.get': defineRoute({
    method: 'GET',
    path: '/api/v1/operations/{id}',
    access: 'operation:read',
    tenantScoped: true,
    summary: 'One operation',
    tag: 'operations',
    params: IdParams,
    response: Operation,
  }),
  'operations.wait': defineRoute({
    method: 'GET',
    path: '/api/v1/operations/{id}/wait',
    access: 'operation:read',
    tenantScoped: true,
    summary: 'Waits until the operation ends or the timeout (seconds) passes, then returns it',
    tag: 'operations',
    params: IdParams,
    query: z.strictObject({ timeout: z.coerce.number().min(0).max(300).default(30) }),
    response: Operation,
  }),
  'operations.cancel': defineRoute({
    method: 'DELETE',
    path: '/api/v1/operations/{id}',
    access: 'operation:cancel',
    tenantScoped: true,
    summary: 'Cancels an operation that may be cancelled',
    tag: 'operations',
    params: IdParams,
    response: Operation,
  }),
};
