import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { assertHostPortsFree, clashes, parseStoredForwards } from './port-forwards';

const fwd = (hostPort: number, hostAddress = '127.0.0.1', protocol: 'tcp' | 'udp' = 'tcp') => ({ protocol, hostAddress, hostPort });

describe('host port forward clashes', () => {
  it('same protocol, port and address clash; 0.0.0.0 clashes with every address; tcp and udp do not', () => {
    assert.equal(clashes(fwd(8080), fwd(8080)), true);
    assert.equal(clashes(fwd(8080, '0.0.0.0'), fwd(8080, '10.1.2.3')), true);
    assert.equal(clashes(fwd(8080, '127.0.0.1'), fwd(8080, '0.0.0.0')), true);
    assert.equal(clashes(fwd(8080, '127.0.0.1'), fwd(8080, '127.0.0.2')), false);
    assert.equal(clashes(fwd(8080), fwd(8081)), false);
    assert.equal(clashes(fwd(8080, '127.0.0.1', 'tcp'), fwd(8080, '127.0.0.1', 'udp')), false);
  });

  it('refuses with CONFLICT a port taken on the node or asked twice, without naming the other VM', () => {
    const taken = parseStoredForwards([{ port_forwards: JSON.stringify([{ ...fwd(2222), guestPort: 22 }]) }, { port_forwards: '[]' }]);
    assert.throws(() => assertHostPortsFree([fwd(2222)], taken, 'n1'), (e: Error & { code?: string }) => e.code === 'CONFLICT' && /already forwarded to another VM on node n1/.test(e.message));
    assert.throws(() => assertHostPortsFree([fwd(2222, '0.0.0.0')], taken, 'n1'), { code: 'CONFLICT' });
    assert.throws(() => assertHostPortsFree([fwd(3000), fwd(3000, '0.0.0.0')], taken, 'n1'), /ask for the same host port/);
    assertHostPortsFree([fwd(2223), fwd(2222, '127.0.0.1', 'udp'), fwd(2222, '127.0.0.5')], taken, 'n1');
  });
});
