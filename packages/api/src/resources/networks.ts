import { z } from 'zod';
import { Id, IdParams, Name, Page, PageQuery, Timestamp } from '../common';
import { defineRoute } from '../route';

/** Network drivers. `user` is QEMU user-mode NAT (no privileges); bridged networks come later. */
export const NetworkDriver = z.enum(['user']);

/** A virtual network NICs connect to. */
export const Network = z.object({
  id: z.string(),
  name: z.string(),
  driver: NetworkDriver,
  /** Guest subnet of the user driver (its DHCP hands out addresses from it). */
  cidr: z.string(),
  description: z.string(),
  /** Null for networks every tenant may use. */
  tenantId: z.string().nullable(),
  nics: z.number().int(),
  createdAt: Timestamp,
  updatedAt: Timestamp,
});
/** A network as the API returns it. */
export type Network = z.infer<typeof Network>;

/**
 * Why `cidr` cannot be a user-mode (slirp) guest subnet, or undefined when it can. Slirp puts its gateway at .2, its DNS
 * at .3 and hands out addresses from .15, so the subnet must hold .15 as a host: /8 to /27, written as its network
 * address (10.1.2.0/24, not 10.1.2.7/24), with octets 0..255.
 */
export function userSubnetProblem(cidr: string): string | undefined {
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d{1,2})$/.exec(cidr);
  if (!m) return 'must be an IPv4 CIDR such as 10.0.2.0/24';
  const octets = m.slice(1, 5).map(Number);
  const prefix = Number(m[5]);
  if (octets.some((o) => o > 255)) return 'has an octet above 255';
  if (prefix < 8 || prefix > 27) return 'needs a prefix from /8 to /27 (the guest gets .15 of it)';
  const address = octets.reduce((n, o) => n * 256 + o, 0);
  if (address % 2 ** (32 - prefix) !== 0) return `is not a network address (host bits set for /${prefix})`;
  return undefined;
}

const Cidr = z.string().regex(/^(\d{1,3}\.){3}\d{1,3}\/(\d|[12]\d|3[0-2])$/, 'must be an IPv4 CIDR such as 10.0.2.0/24').superRefine((cidr, ctx) => {
  const problem = userSubnetProblem(cidr);
  if (problem) ctx.addIssue({ code: 'custom', message: `cidr ${problem}` });
});

/** Body of `POST /api/v1/networks`. */
export const NetworkCreate = z.strictObject({
  name: Name,
  driver: NetworkDriver.default('user'),
  cidr: Cidr.default('10.0.2.0/24'),
  description: z.string().max(500).default(''),
  /** Owning tenant; omit (with network:write everywhere) for a network all tenants share. */
  tenant: Id.optional(),
});

/** Network routes. */
export const networkRoutes = {
  'networks.list': defineRoute({
    method: 'GET', path: '/api/v1/networks', access: 'network:read', tenantScoped: true, tag: 'networks',
    summary: 'Networks the caller may use (shared ones and its tenants\')', query: PageQuery.extend({ text: z.string().max(200).optional() }), response: Page(Network),
  }),
  'networks.get': defineRoute({
    method: 'GET', path: '/api/v1/networks/{id}', access: 'network:read', tenantScoped: true, tag: 'networks',
    summary: 'One network (id or name)', params: IdParams, response: Network,
  }),
  'networks.create': defineRoute({
    method: 'POST', path: '/api/v1/networks', access: 'network:write', tenantScoped: true, status: 201, tag: 'networks',
    summary: 'Creates a network', body: NetworkCreate, response: Network,
  }),
  'networks.delete': defineRoute({
    method: 'DELETE', path: '/api/v1/networks/{id}', access: 'network:write', tenantScoped: true, status: 204, tag: 'networks',
    summary: 'Deletes a network no NIC uses (IN_USE otherwise)', params: IdParams, response: z.void(),
  }),
};
