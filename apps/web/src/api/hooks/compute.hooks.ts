// VMs, nodes, images, storage and networks. Lists stay current through events (vm.*, node.*, operation.*), not polling.
import type { z } from 'zod';
import type { VmListQuery } from '@novacron/api';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { api } from '../client';
import { keys } from '../query-keys';
import { useApiMutation } from './mutation';

/** Filters of the VM list as the page holds them. */
export type VmFilters = Omit<z.input<typeof VmListQuery>, 'cursor'>;

/** One page of VMs. */
export function useVms(filters: VmFilters, cursor?: string) {
  return useQuery({
    queryKey: keys.vms.list({ ...filters, cursor }),
    queryFn: () => api.call('vms.list', { query: { ...filters, cursor } }),
    placeholderData: keepPreviousData,
  });
}

/** One VM. */
export function useVm(id: string) {
  return useQuery({ queryKey: keys.vms.detail(id), queryFn: () => api.call('vms.get', { params: { id } }) });
}

/** Snapshots of a VM. */
export function useVmSnapshots(id: string) {
  return useQuery({ queryKey: [...keys.vms.detail(id), 'snapshots'], queryFn: () => api.call('vms.snapshots.list', { params: { id } }) });
}

/** The VM's serial console output kept by the control plane. */
export function useSerialLog(id: string, enabled: boolean) {
  return useQuery({ queryKey: [...keys.vms.detail(id), 'serial-log'], queryFn: () => api.call('vms.serialLog', { params: { id } }), enabled });
}

/** Nodes (few: one page of 1000). */
export function useNodes(enabled = true) {
  return useQuery({ queryKey: keys.nodes.list(), queryFn: () => api.call('nodes.list', { query: { limit: 1000 } }), enabled });
}

/** Images (one page of 1000). */
export function useImages(enabled = true) {
  return useQuery({ queryKey: keys.images.list(), queryFn: () => api.call('images.list', { query: { limit: 1000 } }), enabled });
}

/** Storage pools. */
export function useStoragePools(enabled = true) {
  return useQuery({ queryKey: keys.storagePools.list(), queryFn: () => api.call('storagePools.list', { query: { limit: 1000 } }), enabled });
}

/** Volumes (one page of 1000). */
export function useVolumes(enabled = true) {
  return useQuery({ queryKey: keys.volumes.list(), queryFn: () => api.call('volumes.list', { query: { limit: 1000 } }), enabled });
}

/** Networks. */
export function useNetworks(enabled = true) {
  return useQuery({ queryKey: keys.networks.list(), queryFn: () => api.call('networks.list', { query: { limit: 1000 } }), enabled });
}

const vmKeys = [keys.vms.all, keys.operations.all, keys.tenants.all];
/** Creates a VM (202 with an operation). */
export const useCreateVm = () => useApiMutation('vms.create', vmKeys);
/** Changes a VM's spec. */
export const useUpdateVm = () => useApiMutation('vms.update', vmKeys);
/** Deletes a VM. */
export const useDeleteVm = () => useApiMutation('vms.delete', vmKeys);
/** Takes a snapshot. */
export const useCreateSnapshot = () => useApiMutation('vms.snapshots.create', vmKeys);
/** Reverts to a snapshot. */
export const useRevertSnapshot = () => useApiMutation('vms.snapshots.revert', vmKeys);
/** Deletes a snapshot. */
export const useDeleteSnapshot = () => useApiMutation('vms.snapshots.delete', vmKeys);
/** Clones a stopped VM or template. */
export const useCloneVm = () => useApiMutation('vms.clone', vmKeys);
/** Imports an image from a URL or a path on the node. */
export const useCreateImage = () => useApiMutation('images.create', [keys.images.all, keys.operations.all]);
/** Deletes an image. */
export const useDeleteImage = () => useApiMutation('images.delete', [keys.images.all]);
