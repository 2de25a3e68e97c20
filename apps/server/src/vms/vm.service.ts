import { ApiError, type Operation, type Vm, type VmCreate, type VmListQuery, type VmPatch } from '@novacron/api';
import type { z } from 'zod';
import { scopeOf, type Principal } from '../auth/principal';
import { isUniqueViolation } from '../admin/store-errors';
import type { ComputeDeps } from '../compute/compute-deps';
import { pickNode } from '../compute/pick-node';
import { narrow, targetTenant } from '../compute/tenancy';
import { Undo } from '../compute/undo';
import type { ImageService } from '../images/image.service';
import { newId } from '../lib/ids';
import { decodeCursor, toPage } from '../lib/pagination';
import type { VmRow } from '../store/compute-schema';
import type { StorageRepository } from '../storage/storage.repository';
import type { VolumeService } from '../storage/volume.service';
import type { DiskPlan, NicPlan } from './device-planner';
import type { DevicePlanner } from './device-planner';
import { assertDistinctHostPorts, hostPortClaims, type HostPortClaim } from './port-forwards';
import { assertReady, vmFor } from './vm-access';
import { toVm, type StoredBoot } from './vm-mapper';
import type { VmPowerService } from './vm-power.service';
import type { VmStatusService } from './vm-status.service';
import type { VmRepository } from './vm.repository';

/** What a new VM is made of, once checked. */
export interface VmBlueprint {
  tenantId: string;
  name: string;
  description: string;
  vcpus: number;
  memoryMiB: number;
  maxVcpus: number | null;
  maxMemoryMiB: number | null;
  boot: StoredBoot;
  cloudInit: string | null;
  restartPolicy: string;
  labels: Record<string, string>;
  disks: DiskPlan[];
  nics: NicPlan[];
  newDiskGiB: number;
  requiredNodeId: string | null;
  start: boolean;
  kind: 'vm.create' | 'vm.clone';
}

/** VMs: list, get, create (and clone), patch, delete. Power actions are in VmPowerService. */
export class VmService {
  constructor(
    private readonly d: ComputeDeps,
    private readonly repo: VmRepository,
    private readonly storage: StorageRepository,
    private readonly volumes: VolumeService,
    private readonly planner: DevicePlanner,
    private readonly status: VmStatusService,
    private readonly power: VmPowerService,
    private readonly images: ImageService,
  ) {}

  private now() {
    return this.d.clock.now().toISOString();
  }

  /** Rows → wire shapes, with their status, disks, NICs and volumes fetched in batches. */
  async render(rows: VmRow[]): Promise<Vm[]> {
    const ids = rows.map((r) => r.id);
    const [statuses, disks, nics] = await Promise.all([this.repo.statuses(ids), this.repo.disks(ids), this.repo.nics(ids)]);
    const volumes = new Map((await this.storage.volumesByIds(disks.flatMap((d) => (d.volume_id ? [d.volume_id] : [])))).map((v) => [v.id, v]));
    return rows.map((r) => toVm(r, statuses.get(r.id), disks.filter((d) => d.vm_id === r.id), nics.filter((n) => n.vm_id === r.id), volumes));
  }

  async list(p: Principal, q: z.output<typeof VmListQuery>) {
    const scope = narrow(scopeOf(p, 'vm:read'), q.tenant);
    const rows = await this.repo.list(scope, { limit: q.limit, before: decodeCursor(q.cursor), state: q.state, node: q.node, label: q.label, text: q.text, template: q.template });
    const page = toPage(rows, q.limit, (r) => r);
    return { items: await this.render(page.items), nextCursor: page.nextCursor };
  }

  async get(p: Principal, id: string): Promise<Vm> {
    return (await this.render([await vmFor(this.repo, p, id, 'vm:read')]))[0];
  }

  /** `POST /api/v1/vms`: checks references, quota and placement now; makes volumes, NICs and starts in an operation. */
  async create(p: Principal, input: z.output<typeof VmCreate>): Promise<Operation> {
    const tenantId = targetTenant(p, 'vm:write', input.tenant);
    const nodes = new Set<string>();
    const boot: StoredBoot = { kernelImage: null, initrdImage: null, cmdline: input.boot.cmdline ?? null, order: input.boot.order };
    if (input.boot.kernelImage) {
      const k = await this.images.usable(p, input.boot.kernelImage, ['kernel'], 'boot.kernelImage');
      boot.kernelImage = k.id;
      if (k.node_id) nodes.add(k.node_id);
    }
    if (input.boot.initrdImage) {
      if (!input.boot.kernelImage) throw new ApiError('BAD_REQUEST', 'boot.initrdImage needs boot.kernelImage');
      const i = await this.images.usable(p, input.boot.initrdImage, ['initrd'], 'boot.initrdImage');
      boot.initrdImage = i.id;
      if (i.node_id) nodes.add(i.node_id);
    }
    if (input.boot.cmdline && !input.boot.kernelImage) throw new ApiError('BAD_REQUEST', 'boot.cmdline needs boot.kernelImage (direct kernel boot)');
    if (!boot.kernelImage && !input.disks.length) throw new ApiError('BAD_REQUEST', 'nothing to boot from: give boot.kernelImage or at least one disk');
    const plans = await this.planner.planDisks(p, tenantId, input.disks);
    for (const n of plans.nodes) nodes.add(n);
    if (nodes.size > 1) throw new ApiError('BAD_REQUEST', 'the images and volumes of this VM are on different nodes');
    return this.build(p, {
      tenantId, name: input.name, description: input.description, vcpus: input.vcpus, memoryMiB: input.memoryMiB,
      ...hotplugLimits(input.vcpus, input.memoryMiB, input.maxVcpus, input.maxMemoryMiB), boot,
      cloudInit: input.cloudInit ? JSON.stringify(input.cloudInit) : null, restartPolicy: input.restartPolicy, labels: input.labels,
      disks: plans.disks, nics: await this.planner.planNics(tenantId, input.networks), newDiskGiB: plans.newDiskGiB,
      requiredNodeId: [...nodes][0] ?? null, start: input.start, kind: 'vm.create',
    });
  }

  /**
   * Makes a VM from a blueprint: quota, name and placement are checked under the tenant's lock and the row is written
   * (state `creating`) before the answer, so concurrent creates count it. The operation then makes its volumes and NICs,
   * hands it to its node and starts it; if any step fails every earlier step is undone and the VM is gone.
   */
  async build(p: Principal, b: VmBlueprint): Promise<Operation> {
    return this.d.quota.withTenant(b.tenantId, async () => {
      await this.d.quota.check(b.tenantId, { vms: 1, vcpus: b.vcpus, memoryMiB: b.memoryMiB, diskGiB: b.newDiskGiB });
      if (await this.repo.nameTaken(b.tenantId, b.name)) throw new ApiError('ALREADY_EXISTS', `a VM named ${b.name} exists`);
      const nodeId = await pickNode(this.d, { vcpus: b.vcpus, memoryMiB: b.memoryMiB, requiredNodeId: b.requiredNodeId });
      assertDistinctHostPorts(b.nics.flatMap((n) => n.portForwards as HostPortClaim[]));
      const now = this.now();
      const vm: VmRow = {
        id: newId(), tenant_id: b.tenantId, name: b.name, description: b.description, labels: JSON.stringify(b.labels), node_id: nodeId,
        phase: 'creating', vcpus: b.vcpus, memory_mib: b.memoryMiB, max_vcpus: b.maxVcpus, max_memory_mib: b.maxMemoryMiB, restart_policy: b.restartPolicy, power_state: 'stopped', revision: 1,
        shutdown_timeout: 0, boot: JSON.stringify(b.boot), cloud_init: b.cloudInit, is_template: 0, pending_restart: 0,
        created_by: p.userId, created_at: now, updated_at: now,
      };
      try {
        await this.repo.insert(vm, {
          vm_id: vm.id, state: 'stopped', observed_revision: 0, pid: null, accel: null, since: now, error_code: null, error_message: null, guest: null, updated_at: now,
        }, b.nics.flatMap((n) => hostPortClaims(nodeId, vm.id, n.id, n.portForwards as HostPortClaim[])));
      } catch (err) {
        if (isUniqueViolation(err)) throw new ApiError('ALREADY_EXISTS', `a VM named ${b.name} exists`);
        throw err;
      }
      this.status.publish('vm.created', vm, { state: 'creating' });
      return this.d.operations.start({ kind: b.kind, tenantId: b.tenantId, resources: [`/api/v1/vms/${vm.id}`], createdBy: p.userId }, async (ctx) => {
        const undo = new Undo();
        try {
          for (const [i, plan] of b.disks.entries()) {
            await this.planner.realizeDisk(vm, nodeId, plan, i, undo, ctx.signal);
            await ctx.progress(10 + (60 * (i + 1)) / b.disks.length);
          }
          const macs = new Set<string>();
          for (const [i, plan] of b.nics.entries()) await this.planner.realizeNic(vm, plan, i, undo, macs);
          await this.repo.updateSpec(vm.id, { phase: 'ready', updated_at: this.now() }, true);
          // From here the node knows the VM: taking it back means making the node forget it first (stop + purge).
          undo.push('remove the VM from its node', async () => {
            await this.repo.updateSpec(vm.id, { phase: 'creating' }, false);
            await this.d.hub.pushDesired(nodeId);
            if (this.d.hub.isOnline(nodeId)) await this.d.hub.command(nodeId, 'vm.purge', { vmId: vm.id });
          });
          await this.d.hub.pushDesired(nodeId);
          if (b.start) await this.power.startAndWait(vm, ctx.signal);
          undo.commit();
          return { vmId: vm.id };
        } catch (err) {
          await undo.run();
          await this.repo.delete(vm.id);
          this.status.publish('vm.deleted', vm, { reason: 'create failed' });
          throw err;
        }
      });
    });
  }

  /** `PATCH /api/v1/vms/{id}`: spec changes; hardware changes of a running VM wait for its next start. */
  async update(p: Principal, id: string, patch: z.output<typeof VmPatch>): Promise<Vm> {
    const vm = await vmFor(this.repo, p, id, 'vm:write');
    assertReady(vm);
    const state = (await this.repo.status(vm.id))?.state ?? 'stopped';
    const up = ['running', 'paused', 'starting', 'stopping'].includes(state);
    const boot = JSON.parse(vm.boot) as StoredBoot;
    const next: Partial<VmRow> = { updated_at: this.now() };
    let agentSees = false;
    let hardware = false;
    if (patch.name !== undefined && patch.name !== vm.name) {
      if (await this.repo.nameTaken(vm.tenant_id, patch.name, vm.id)) throw new ApiError('ALREADY_EXISTS', `a VM named ${patch.name} exists`);
      next.name = patch.name;
      agentSees = true;
    }
    if (patch.description !== undefined) next.description = patch.description;
    if (patch.labels !== undefined) next.labels = JSON.stringify(patch.labels);
    if (patch.restartPolicy !== undefined) (next.restart_policy = patch.restartPolicy), (agentSees = true);
    if (patch.bootOrder !== undefined) (boot.order = patch.bootOrder), (hardware = true);
    if (patch.cmdline !== undefined) {
      if (!boot.kernelImage) throw new ApiError('BAD_REQUEST', 'cmdline applies to direct kernel boot only');
      (boot.cmdline = patch.cmdline), (hardware = true);
    }
    if (patch.bootOrder !== undefined || patch.cmdline !== undefined) next.boot = JSON.stringify(boot);
    if (patch.isTemplate !== undefined) {
      // Stopped and meant to stay so: a start under way (desired running, not reported yet) must not end in a running template.
      if (patch.isTemplate && (state !== 'stopped' || vm.power_state !== 'stopped')) throw new ApiError('INVALID_STATE', `VM ${vm.name} must be stopped to become a template`);
      next.is_template = patch.isTemplate ? 1 : 0;
    }
    const vcpus = patch.vcpus ?? Number(vm.vcpus);
    const memoryMiB = patch.memoryMiB ?? Number(vm.memory_mib);
    const resized = vcpus !== Number(vm.vcpus) || memoryMiB !== Number(vm.memory_mib);
    if (resized) (next.vcpus = vcpus), (next.memory_mib = memoryMiB), (hardware = true);
    const limits = hotplugLimits(vcpus, memoryMiB,
      patch.maxVcpus !== undefined ? patch.maxVcpus : nullableNumber(vm.max_vcpus),
      patch.maxMemoryMiB !== undefined ? patch.maxMemoryMiB : nullableNumber(vm.max_memory_mib));
    const limitsChanged = limits.maxVcpus !== nullableNumber(vm.max_vcpus) || limits.maxMemoryMiB !== nullableNumber(vm.max_memory_mib);
    if (limitsChanged) (next.max_vcpus = limits.maxVcpus), (next.max_memory_mib = limits.maxMemoryMiB), (hardware = true);
    if (hardware) agentSees = true;
    // vCPUs and memory are tried live (hotplug, balloon); what the running QEMU cannot take waits for the next start.
    const liveOnly = resized && !limitsChanged && patch.bootOrder === undefined && patch.cmdline === undefined;
    let applyLive = false;
    if (hardware && up) {
      applyLive = liveOnly && state === 'running' && this.d.hub.isOnline(vm.node_id);
      next.pending_restart = 1;
    }
    const write = async () => {
      await this.repo.updateSpec(vm.id, next, agentSees);
    };
    if (resized) {
      await this.d.quota.withTenant(vm.tenant_id, async () => {
        await this.d.quota.check(vm.tenant_id, { vcpus: vcpus - Number(vm.vcpus), memoryMiB: memoryMiB - Number(vm.memory_mib) });
        await write();
      });
    } else await write();
    if (applyLive) {
      try {
        await this.d.hub.command(vm.node_id, 'vm.resize', { vmId: vm.id, vcpus, memoryMiB }, { timeoutMs: 20_000 });
        await this.repo.updateSpec(vm.id, { pending_restart: Number(vm.pending_restart) }, false);
      } catch {
        // UNSUPPORTED (no free slots, TCG limits) or a node error: keep it pending for the next start
      }
    }
    if (agentSees) await this.d.hub.pushDesired(vm.node_id);
    const out = await this.get(p, id);
    this.status.publish('vm.updated', vm, { name: out.name });
    return out;
  }

  /** `DELETE /api/v1/vms/{id}`: the node stops and forgets it, volumes made for it go, attached ones are freed. */
  async delete(p: Principal, id: string, force: boolean): Promise<Operation> {
    const vm = await vmFor(this.repo, p, id, 'vm:delete');
    if (vm.phase === 'creating') throw new ApiError('INVALID_STATE', `VM ${vm.name} is still being created`);
    const owned = await this.storage.ownedBy(vm.id);
    for (const vol of owned) await this.volumes.assertDeletable(vol, vm.id);
    const online = this.d.hub.isOnline(vm.node_id);
    if (!online && !force) throw new ApiError('NODE_UNREACHABLE', `the node of VM ${vm.name} is offline; delete with force=true to forget the VM (its files stay on that node)`);
    return this.d.busy.start(this.d.operations, [`vm:${vm.id}`], { kind: 'vm.delete', tenantId: vm.tenant_id, resources: [`/api/v1/vms/${vm.id}`], createdBy: p.userId }, async (ctx) => {
      // Stop it first and let the node settle, so forgetting it does not race the stop on the node.
      const state = (await this.repo.status(vm.id))?.state ?? 'stopped';
      if (online && !['stopped', 'crashed', 'error'].includes(state)) {
        try {
          await this.power.stopAndWait(vm, ctx.signal);
        } catch (err) {
          if (!force) throw err;
        }
      }
      await this.repo.updateSpec(vm.id, { phase: 'deleting', power_state: 'stopped', updated_at: this.now() }, true);
      try {
        // purge first (it stops and forgets the VM on the node), then the desired state without it
        if (online) await this.d.hub.command(vm.node_id, 'vm.purge', { vmId: vm.id }, { timeoutMs: 120_000 });
        await this.d.hub.pushDesired(vm.node_id);
      } catch (err) {
        if (!force) {
          await this.repo.updateSpec(vm.id, { phase: 'ready' }, true);
          await this.d.hub.pushDesired(vm.node_id);
          throw err;
        }
      }
      for (const vol of owned) {
        if (online) await this.volumes.destroy(vol).catch((err) => { if (!force) throw err; });
        await this.storage.deleteVolume(vol.id);
      }
      for (const vol of await this.storage.attachedTo(vm.id)) await this.volumes.setAttachment(vol.id, null);
      await this.repo.delete(vm.id);
      this.status.publish('vm.deleted', vm);
      return { vmId: vm.id };
    });
  }
}

// Hotplug ceilings below the boot size cannot be honoured: refuse them rather than quietly raising them.
function hotplugLimits(vcpus: number, memoryMiB: number, maxVcpus: number | null, maxMemoryMiB: number | null): { maxVcpus: number | null; maxMemoryMiB: number | null } {
  if (maxVcpus !== null && maxVcpus < vcpus) throw new ApiError('BAD_REQUEST', `maxVcpus (${maxVcpus}) is below vcpus (${vcpus})`);
  if (maxMemoryMiB !== null && maxMemoryMiB < memoryMiB) throw new ApiError('BAD_REQUEST', `maxMemoryMiB (${maxMemoryMiB}) is below memoryMiB (${memoryMiB})`);
  return { maxVcpus, maxMemoryMiB };
}

function nullableNumber(value: number | null): number | null {
  return value === null ? null : Number(value);
}
