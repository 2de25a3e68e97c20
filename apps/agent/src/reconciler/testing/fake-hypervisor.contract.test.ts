import { VmSpec } from '@novacron/api';
import { describeHypervisorContract } from '../../drivers/hypervisor/testing/hypervisor-contract';
import { FakeHypervisorDriver, type FakeVm } from './fake-hypervisor.driver';

// The reconciler's unit tests use this fake; it must behave like a real driver where the reconciler can tell.
describeHypervisorContract('fake (test-only)', async () => {
  const host = new Map<string, FakeVm>();
  let current: FakeHypervisorDriver | undefined;
  return {
    open: async () => (current = new FakeHypervisorDriver(host)),
    spec: (id) => VmSpec.parse({ id, name: id, revision: 1, vcpus: 1, memoryMiB: 64, boot: {}, disks: [], networks: [], restartPolicy: 'no', powerState: 'running' }),
    kill: (pid) => current?.killPid(pid),
    guestReady: async () => {},
    cleanup: async () => host.clear(),
  };
});
