import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { promisify } from 'node:util';
import { noCloudFiles, writeNoCloudSeed } from './nocloud-seed';

const execFileAsync = promisify(execFile);
const isoinfo = async (...args: string[]) => (await execFileAsync('isoinfo', args)).stdout;

describe('NoCloud seed ISO', () => {
  let dir: string;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'nc-seed-'));
  });
  after(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('is an ISO9660 volume "cidata" with user-data, meta-data and network-config (Rock Ridge and Joliet names)', async () => {
    const userData = '#cloud-config\nusers:\n  - name: nova\n';
    const networkConfig = 'version: 2\nethernets:\n  eth0:\n    dhcp4: true\n';
    const iso = await writeNoCloudSeed(dir, { userData, metaData: { instanceId: 'vm-01H', localHostname: 'web-1' }, networkConfig });
    assert.equal(iso, join(dir, 'cidata.iso'));
    assert.match(await isoinfo('-d', '-i', iso), /^Volume id: cidata$/m);
    assert.match(await isoinfo('-d', '-i', iso), /Rock Ridge signatures version/);
    const rockNames = (await isoinfo('-R', '-f', '-i', iso)).trim().split('\n').sort();
    assert.deepEqual(rockNames, ['/meta-data', '/network-config', '/user-data']);
    const jolietNames = (await isoinfo('-J', '-f', '-i', iso)).trim().split('\n').sort();
    assert.deepEqual(jolietNames, ['/meta-data', '/network-config', '/user-data']);
    assert.equal(await isoinfo('-R', '-i', iso, '-x', '/user-data'), userData);
    assert.equal(await isoinfo('-R', '-i', iso, '-x', '/network-config'), networkConfig);
    assert.equal(await isoinfo('-R', '-i', iso, '-x', '/meta-data'), 'instance-id: "vm-01H"\nlocal-hostname: "web-1"\n');
    assert.deepEqual((await readdir(dir)).sort(), ['cidata.iso'], 'no staging or partial files are left');
  });

  it('rebuilds in place, leaves out an empty network-config, and quotes meta-data values', async () => {
    const iso = await writeNoCloudSeed(dir, { userData: '', metaData: { instanceId: 'a"b\nc', localHostname: 'h: x' } });
    assert.deepEqual((await isoinfo('-R', '-f', '-i', iso)).trim().split('\n').sort(), ['/meta-data', '/user-data']);
    assert.equal(await isoinfo('-R', '-i', iso, '-x', '/user-data'), '#cloud-config\n{}\n');
    // Each meta-data value is one JSON (hence YAML) scalar on its own line, whatever characters it has.
    const lines = (await isoinfo('-R', '-i', iso, '-x', '/meta-data')).trim().split('\n');
    assert.deepEqual(lines.map((l) => JSON.parse(l.slice(l.indexOf(': ') + 2))), ['a"b\nc', 'h: x']);
  });

  it('reports a missing genisoimage as UNSUPPORTED and leaves nothing behind', async () => {
    const empty = await mkdtemp(join(dir, 'vm-'));
    await assert.rejects(
      writeNoCloudSeed(empty, { userData: '', metaData: { instanceId: 'i', localHostname: 'h' } }, { binary: '/nonexistent/genisoimage' }),
      { code: 'UNSUPPORTED' },
    );
    assert.deepEqual(await readdir(empty), []);
    assert.deepEqual(Object.keys(noCloudFiles({ userData: 'x', metaData: { instanceId: 'i', localHostname: 'h' }, networkConfig: ' ' })), ['user-data', 'meta-data']);
  });
});
