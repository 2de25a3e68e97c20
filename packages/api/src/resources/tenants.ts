import { z } from 'zod';
import { IdParams, Name, Page, PageQuery, Timestamp } from '../common';
import { defineRoute } from '../route';

const Limit = z.number().int().min(0).max(2 ** 31 - 1).nullable();

/** Quotas of a tenant; null = unlimited. */
export const Quotas = z.object({ vms: Limit, vcpus: Limit, memoryMiB: Limit, diskGiB: Limit });
/** Quotas of a tenant. */
export type Quotas = z.infer<typeof Quotas>;

/** What a tenant's resources use now, counted against its quotas. */
export const TenantUsage = z.object({
  vms: z.number().int(),
  vcpus: z.number().int(),
  memoryMiB: z.number().int(),
  diskGiB: z.number().int(),
});
/** What a tenant's resources use now. */
export type TenantUsage = z.infer<typeof TenantUsage>;

/** A tenant: owns users and resources, carries quotas. */
export const Tenant = z.object({
  id: z.string(),
  name: z.string(),
  description: z.string(),
  quotas: Quotas,
  usage: TenantUsage,
  /** Users whose home tenant this is. */
  users: z.number().int(),
  createdAt: Timestamp,
  updatedAt: Timestamp,
});
/** A tenant as the API returns it. */
export type Tenant = z.infer<typeof Tenant>;

const QuotasInput = z.strictObject({ vms: Limit.optional(), vcpus: Limit.optional(), memoryMiB: Limit.optional(), diskGiB: Limit.optional() });

/** Body of `POST /api/v1/tenants`; missing quotas are unlimited. */
export const TenantCreate = z.strictObject({
  name: Name,
  description: z.string().max(500).default(''),
  quotas: QuotasInput.default({}),
});

/** Body of `PATCH /api/v1/tenants/{id}`; quotas are merged (send null to lift one). */
export const TenantPatch = z.strictObject({
  name: Name.optional(),
  description: z.string().max(500).optional(),
  quotas: QuotasInput.optional(),
});

/** Filters of the tenant list. */
export const TenantListQuery = PageQuery.extend({ text: z.string().max(200).optional() });

/** Tenant routes. `tenant:read` on a tenant shows that tenant; `tenant:admin` is global. */
export const tenantRoutes = {
  'tenants.list': defineRoute({
    method: 'GET', path: '/api/v1/tenants', access: 'tenant:read', tenantScoped: true, tag: 'tenants',
    summary: 'Tenants the caller may see, with quotas and usage, oldest first',
    query: TenantListQuery, response: Page(Tenant),
  }),
  'tenants.get': defineRoute({
    method: 'GET', path: '/api/v1/tenants/{id}', access: 'tenant:read', tenantScoped: true, tag: 'tenants',
    summary: 'One tenant with quotas and usage', params: IdParams, response: Tenant,
  }),
  'tenants.create': defineRoute({
    method: 'POST', path: '/api/v1/tenants', access: 'tenant:admin', status: 201, tag: 'tenants',
    summary: 'Creates a tenant', body: TenantCreate, response: Tenant,
  }),
  'tenants.update': defineRoute({
    method: 'PATCH', path: '/api/v1/tenants/{id}', access: 'tenant:admin', tenantScoped: true, tag: 'tenants',
    summary: 'Renames a tenant or changes its quotas', params: IdParams, body: TenantPatch, response: Tenant,
  }),
  'tenants.delete': defineRoute({
    method: 'DELETE', path: '/api/v1/tenants/{id}', access: 'tenant:admin', tenantScoped: true, status: 204, tag: 'tenants',
    summary: 'Deletes a tenant that owns no users and no resources (else IN_USE)', params: IdParams, response: z.void(),
  }),
};
