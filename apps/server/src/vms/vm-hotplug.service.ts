import { ApiError, type Operation, type VmDiskInput, type VmNicInput } from '@novacron/api';
import type { z } from 'zod';
import type { Principal } from '../auth/principal';
import type { ComputeDeps } from '../compute/compute-deps';
import { Undo } from '../compute/undo';
import type { NetworkRepository } from '../networks/network.repository';
import type { StorageRepository } from '../storage/storage.repository';
import type { VolumeService } from '../storage/volume.service';
import type { VmRow } from '../store/compute-schema';
import type { DevicePlanner, NicPlan } from './device-planner';
import { assertDistinctHostPorts, hostPortClaims } from './port-forwards';
import { assertReady, vmFor } from './vm-access';
import { toVmSpec } from './vm-mapper';
import type { VmRepository } from './vm.repository';

const UP = ['running', 'paused'];

/** Adds and removes disks and NICs: hot-plugged through the agent when the VM runs, in the spec either way. */
export class VmHotplugService {
  constructor(
    private readonly d: ComputeDeps,
    private readonly repo: VmRepository,
    private readonly storage: StorageRepository,
    private readonly networks: NetworkRepository,
    private readonly volumes: VolumeService,
    private readonly planner: DevicePlanner,
  ) {}

  private async target(p: Principal, vmId: string) {
    const vm = await vmFor(this.repo, p, vmId, 'vm:write');
    assertReady(vm);
    if (!this.d.hub.isOnline(vm.node_id)) throw new ApiError('NODE_UNREACHABLE', `the node of VM ${vm.name} is offline`);
    const state = (await this.repo.status(vm.id))?.state ?? 'stopped';
    if (!['stopped', 'crashed', ...UP].includes(state)) throw new ApiError('INVALID_STATE', `VM ${vm.name} is ${state}: wait until it runs or stops`);
    return { vm, live: UP.includes(state) };
  }

  /** The agent's view of one disk/NIC row, for the hotplug command. */
  private async specOf(vmId: string) {
    const vm = (await this.repo.get(vmId, 'all'))!;
    const [disks, nics] = await Promise.all([this.repo.disks([vmId]), this.repo.nics([vmId])]);
    const volumes = new Map((await this.storage.volumesByIds(disks.flatMap((x) => (x.volume_id ? [x.volume_id] : [])))).map((v) => [v.id, v]));
    const networks = new Map((await this.networks.byIds(nics.map((n) => n.network_id))).map((n) => [n.id, n]));
    return toVmSpec(vm, disks, nics, networks, volumes);
  }

  async attachDisk(p: Principal, vmId: string, input: z.output<typeof VmDiskInput>): Promise<Operation> {
    const { vm, live } = await this.target(p, vmId);
    const plans = await this.planner.planDisks(p, vm.tenant_id, [input]);
    if ([...plans.nodes].some((n) => n !== vm.node_id)) throw new ApiError('BAD_REQUEST', 'that image or volume is on another node than the VM');
    const plan = plans.disks[0];
    const position = (await this.repo.disks([vm.id])).reduce((m, x) => Math.max(m, Number(x.position) + 1), 0);
    const run = () => this.d.busy.start(this.d.operations, [`vm:${vm.id}`], { kind: 'vm.disk.attach', tenantId: vm.tenant_id, resources: [`/api/v1/vms/${vm.id}`], createdBy: p.userId }, async (ctx) => {
      const undo = new Undo();
      try {
        await this.planner.realizeDisk(vm, vm.node_id!, plan, position, undo, ctx.signal);
        if (live) {
          const disk = (await this.specOf(vm.id)).disks.find((x) => x.id === plan.id)!;
          await this.d.hub.command(vm.node_id, 'vm.disk.attach', { vmId: vm.id, disk }, { signal: ctx.signal });
        }
        await this.repo.updateSpec(vm.id, { updated_at: this.d.clock.now().toISOString() }, true);
        await this.d.hub.pushDesired(vm.node_id);
        undo.commit();
        return { vmId: vm.id, diskId: plan.id };
      } catch (err) {
        await undo.run();
        throw err;
      }
    });
    if (!plans.newDiskGiB) return run();
    return this.d.quota.withTenant(vm.tenant_id, async () => {
      await this.d.quota.check(vm.tenant_id, { diskGiB: plans.newDiskGiB });
      return run();
    });
  }

  async detachDisk(p: Principal, vmId: string, diskId: string): Promise<Operation> {
    const { vm, live } = await this.target(p, vmId);
    const disk = (await this.repo.disks([vm.id])).find((x) => x.id === diskId);
    if (!disk) throw new ApiError('NOT_FOUND', `disk ${diskId} not found`);
    return this.d.busy.start(this.d.operations, [`vm:${vm.id}`], { kind: 'vm.disk.detach', tenantId: vm.tenant_id, resources: [`/api/v1/vms/${vm.id}`], createdBy: p.userId }, async (ctx) => {
      if (live) await this.d.hub.command(vm.node_id, 'vm.disk.detach', { vmId: vm.id, diskId }, { signal: ctx.signal });
      await this.repo.deleteDisk(diskId);
      // A detached volume outlives the VM: it is no longer deleted with it.
      if (disk.volume_id) await this.volumes.setAttachment(disk.volume_id, null, true);
      await this.repo.updateSpec(vm.id, { updated_at: this.d.clock.now().toISOString() }, true);
      await this.d.hub.pushDesired(vm.node_id);
      return { vmId: vm.id, diskId, volumeId: disk.volume_id };
    });
  }

  async attachNic(p: Principal, vmId: string, input: z.output<typeof VmNicInput>): Promise<Operation> {
    const { vm, live } = await this.target(p, vmId);
    const [plan] = await this.planner.planNics(vm.tenant_id, [input]);
    assertDistinctHostPorts(input.portForwards);
    const position = (await this.repo.nics([vm.id])).reduce((m, x) => Math.max(m, Number(x.position) + 1), 0);
    await this.repo.claimHostPorts(hostPortClaims(vm.node_id!, vm.id, plan.id, input.portForwards));
    try {
      return await this.startNicAttach(p, vm, live, plan, position);
    } catch (err) {
      await this.repo.releaseHostPorts(plan.id); // the VM was busy: nothing will use them
      throw err;
    }
  }

  private startNicAttach(p: Principal, vm: VmRow, live: boolean, plan: NicPlan, position: number): Promise<Operation> {
    return this.d.busy.start(this.d.operations, [`vm:${vm.id}`], { kind: 'vm.nic.attach', tenantId: vm.tenant_id, resources: [`/api/v1/vms/${vm.id}`], createdBy: p.userId }, async (ctx) => {
      const undo = new Undo();
      undo.push(`release the host ports of NIC ${plan.id}`, () => this.repo.releaseHostPorts(plan.id));
      try {
        await this.planner.realizeNic(vm, plan, position, undo, new Set());
        if (live) {
          const nic = (await this.specOf(vm.id)).networks.find((x) => x.id === plan.id)!;
          await this.d.hub.command(vm.node_id, 'vm.nic.attach', { vmId: vm.id, nic }, { signal: ctx.signal });
        }
        await this.repo.updateSpec(vm.id, { updated_at: this.d.clock.now().toISOString() }, true);
        await this.d.hub.pushDesired(vm.node_id);
        undo.commit();
        return { vmId: vm.id, nicId: plan.id };
      } catch (err) {
        await undo.run();
        throw err;
      }
    });
  }

  async detachNic(p: Principal, vmId: string, nicId: string): Promise<Operation> {
    const { vm, live } = await this.target(p, vmId);
    const nic = (await this.repo.nics([vm.id])).find((x) => x.id === nicId);
    if (!nic) throw new ApiError('NOT_FOUND', `NIC ${nicId} not found`);
    return this.d.busy.start(this.d.operations, [`vm:${vm.id}`], { kind: 'vm.nic.detach', tenantId: vm.tenant_id, resources: [`/api/v1/vms/${vm.id}`], createdBy: p.userId }, async (ctx) => {
      if (live) await this.d.hub.command(vm.node_id, 'vm.nic.detach', { vmId: vm.id, nicId }, { signal: ctx.signal });
      await this.repo.deleteNic(nicId);
      await this.repo.updateSpec(vm.id, { updated_at: this.d.clock.now().toISOString() }, true);
      await this.d.hub.pushDesired(vm.node_id);
      return { vmId: vm.id, nicId };
    });
  }
}
