import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { assertDistinctHostPorts, clashes, hostPortClaims } from './port-forwards';

const fwd = (hostPort: number, hostAddress = '127.0.0.1', protocol: 'tcp' | 'udp' = 'tcp') => ({ protocol, hostAddress, hostPort });

describe('host port forward clashes', () => {
  it('same protocol and port clash whatever the address (the rule the database enforces); tcp and udp do not', () => {
    assert.equal(clashes(fwd(8080), fwd(8080)), true);
    assert.equal(clashes(fwd(8080, '0.0.0.0'), fwd(8080, '10.1.2.3')), true);
    assert.equal(clashes(fwd(8080, '127.0.0.1'), fwd(8080, '0.0.0.0')), true);
    assert.equal(clashes(fwd(8080, '127.0.0.1'), fwd(8080, '127.0.0.2')), true);
    assert.equal(clashes(fwd(8080), fwd(8081)), false);
    assert.equal(clashes(fwd(8080, '127.0.0.1', 'tcp'), fwd(8080, '127.0.0.1', 'udp')), false);
  });

  it('refuses with CONFLICT a port one request asks for twice; claims carry node, VM, NIC, protocol and port', () => {
    assert.throws(() => assertDistinctHostPorts([fwd(3000), fwd(3000, '0.0.0.0')]), (e: Error & { code?: string }) => e.code === 'CONFLICT' && /ask for the same host port/.test(e.message));
    assertDistinctHostPorts([fwd(2223), fwd(2222, '127.0.0.1', 'udp'), fwd(2222)]);
    assert.deepEqual(hostPortClaims('n1', 'v1', 'nic1', [fwd(2222), fwd(53, '0.0.0.0', 'udp')]), [
      { node_id: 'n1', protocol: 'tcp', host_port: 2222, vm_id: 'v1', nic_id: 'nic1' },
      { node_id: 'n1', protocol: 'udp', host_port: 53, vm_id: 'v1', nic_id: 'nic1' },
    ]);
  });
});
