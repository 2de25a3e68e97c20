import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { buildQemuArgs, diskNodeNames } from './qemu-command.ts';
import { escapeOptionValue, qemuOption } from './qemu-option.ts';
import { QemuSpecError } from './qemu-spec-validation.ts';
import type { QemuVmSpec } from './qemu-vm-spec.ts';

const base: QemuVmSpec = {
  name: 'web-1',
  uuid: '6f1c1a52-3c1e-4a4e-9d7a-0d7c1f2b9a10',
  vcpus: 2,
  memoryMiB: 256,
  accel: 'tcg',
  qmpSocketPath: '/run/nc/vm/qmp.sock',
};

/** Values following each occurrence of `flag`. */
function valuesOf(args: string[], flag: string): string[] {
  return args.flatMap((a, i) => (a === flag ? [args[i + 1] ?? ''] : []));
}

function valueOf(args: string[], flag: string): string | undefined {
  const values = valuesOf(args, flag);
  assert.ok(values.length <= 1, `${flag} given ${values.length} times`);
  return values[0];
}

describe('buildQemuArgs', () => {
  it('leaves room for live vCPU and memory growth only when maxima above the boot size are asked', () => {
    const grow = buildQemuArgs({ ...base, maxVcpus: 4, maxMemoryMiB: 1024 });
    assert.equal(valueOf(grow, '-smp'), 'cpus=2,maxcpus=4');
    assert.equal(valueOf(grow, '-m'), 'size=256M,slots=8,maxmem=1024M');
    assert.equal(valueOf(grow, '-accel'), 'tcg,tb-size=32,thread=single', 'QEMU 7.2 TCG adds vCPUs safely single-threaded only');
    const same = buildQemuArgs({ ...base, maxVcpus: 2, maxMemoryMiB: 256 });
    assert.equal(valueOf(same, '-smp'), '2');
    assert.equal(valueOf(same, '-m'), '256');
    assert.equal(valueOf(same, '-accel'), 'tcg,tb-size=32');
    assert.equal(valueOf(buildQemuArgs({ ...base, accel: 'kvm', maxVcpus: 4 }), '-accel'), 'kvm');
    assert.throws(() => buildQemuArgs({ ...base, maxVcpus: 1 }), /maxVcpus/);
    assert.throws(() => buildQemuArgs({ ...base, maxMemoryMiB: 128 }), /maxMemoryMiB/);
  });

  it('writes identity, machine, TCG with a small translation cache, cpus, memory and QMP', () => {
    const args = buildQemuArgs(base);
    assert.equal(valueOf(args, '-name'), 'guest=web-1');
    assert.equal(valueOf(args, '-uuid'), base.uuid);
    assert.ok(args.includes('-no-user-config') && args.includes('-nodefaults'));
    assert.equal(valueOf(args, '-machine'), 'pc');
    assert.equal(valueOf(args, '-accel'), 'tcg,tb-size=32');
    assert.equal(valueOf(args, '-cpu'), undefined);
    assert.equal(valueOf(args, '-smp'), '2');
    assert.equal(valueOf(args, '-m'), '256');
    assert.equal(valueOf(args, '-display'), 'none');
    assert.equal(valueOf(args, '-chardev'), 'socket,id=qmp0,path=/run/nc/vm/qmp.sock,server=on,wait=off');
    assert.equal(valueOf(args, '-mon'), 'chardev=qmp0,mode=control');
    assert.equal(valueOf(args, '-vga'), undefined, 'no VGA without VNC');
    for (const flag of ['-daemonize', '-S', '-pidfile', '-kernel', '-vnc', '-serial']) assert.ok(!args.includes(flag), flag);
    assert.ok(valuesOf(args, '-device').includes('virtio-balloon-pci,id=balloon0'));
    assert.ok(valuesOf(args, '-device').includes('virtio-rng-pci,rng=rng0'));
  });

  it('uses -accel kvm with -cpu host under KVM, and honours overrides', () => {
    const kvm = buildQemuArgs({ ...base, accel: 'kvm' });
    assert.equal(valueOf(kvm, '-accel'), 'kvm');
    assert.equal(valueOf(kvm, '-cpu'), 'host');
    const tuned = buildQemuArgs({ ...base, tcgTranslationCacheMiB: 64, cpuModel: 'max', balloon: false, rng: false });
    assert.equal(valueOf(tuned, '-accel'), 'tcg,tb-size=64');
    assert.equal(valueOf(tuned, '-cpu'), 'max');
    assert.deepEqual(valuesOf(tuned, '-device'), []);
    assert.ok(!tuned.includes('-object'));
  });

  it('adds process control: pidfile, -daemonize, -S', () => {
    const args = buildQemuArgs({ ...base, pidfile: '/run/nc/vm/qemu.pid', daemonize: true, startPaused: true });
    assert.equal(valueOf(args, '-pidfile'), '/run/nc/vm/qemu.pid');
    assert.ok(args.includes('-daemonize'));
    assert.ok(args.includes('-S'));
  });

  it('attaches virtio disks as file + format blockdev nodes, read-only when asked, first disk boots first', () => {
    const args = buildQemuArgs({
      ...base,
      disks: [
        { id: 'root', path: '/pool/root.qcow2', format: 'qcow2', bus: 'virtio' },
        { id: 'data', path: '/pool/data,1.img', format: 'raw', bus: 'virtio', readonly: true },
      ],
    });
    assert.deepEqual(valuesOf(args, '-blockdev'), [
      'driver=file,node-name=file-root,filename=/pool/root.qcow2',
      'driver=qcow2,node-name=drive-root,file=file-root',
      'driver=file,node-name=file-data,filename=/pool/data,,1.img,read-only=on',
      'driver=raw,node-name=drive-data,file=file-data,read-only=on',
    ]);
    const devices = valuesOf(args, '-device');
    assert.ok(devices.includes('virtio-blk-pci,id=root,drive=drive-root,bootindex=1'));
    assert.ok(devices.includes('virtio-blk-pci,id=data,drive=drive-data'));
    assert.deepEqual(diskNodeNames('root'), { file: 'file-root', drive: 'drive-root' });
  });

  it('puts the ISO and the cloud-init seed on IDE CD-ROMs and follows the boot order', () => {
    const args = buildQemuArgs({
      ...base,
      disks: [{ id: 'root', path: '/pool/root.qcow2', format: 'qcow2', bus: 'virtio' }],
      cdrom: { path: '/iso/debian.iso' },
      cloudInitSeed: { path: '/run/nc/vm/seed.iso' },
      bootOrder: ['cdrom', 'disk'],
    });
    const devices = valuesOf(args, '-device');
    assert.ok(devices.includes('ide-cd,id=cdrom0,drive=drive-cdrom0,bus=ide.1,unit=0,bootindex=1'));
    assert.ok(devices.includes('ide-cd,id=cidata0,drive=drive-cidata0,bus=ide.1,unit=1'));
    assert.ok(devices.includes('virtio-blk-pci,id=root,drive=drive-root,bootindex=2'));
    assert.ok(valuesOf(args, '-blockdev').includes('driver=file,node-name=file-cidata0,filename=/run/nc/vm/seed.iso,read-only=on'));
  });

  it('boots a kernel directly', () => {
    const args = buildQemuArgs({ ...base, kernel: { path: '/g/vmlinuz', initrdPath: '/g/initrd.img', cmdline: 'console=ttyS0 quiet' } });
    assert.equal(valueOf(args, '-kernel'), '/g/vmlinuz');
    assert.equal(valueOf(args, '-initrd'), '/g/initrd.img');
    assert.equal(valueOf(args, '-append'), 'console=ttyS0 quiet');
  });

  it('adds user-mode NICs with loopback host forwards; the iPXE ROM only when booting from the network', () => {
    const nic = {
      id: 'nic0',
      mac: '52:54:00:AB:CD:EF',
      netdev: { type: 'user' as const, hostForwards: [{ protocol: 'tcp' as const, hostPort: 2222, guestPort: 22 }, { protocol: 'udp' as const, hostAddress: '0.0.0.0', hostPort: 5353, guestPort: 53 }] },
    };
    const args = buildQemuArgs({ ...base, nics: [nic] });
    assert.equal(valueOf(args, '-netdev'), 'user,id=net-nic0,hostfwd=tcp:127.0.0.1:2222-:22,hostfwd=udp:0.0.0.0:5353-:53');
    assert.ok(valuesOf(args, '-device').includes('virtio-net-pci,id=nic0,netdev=net-nic0,mac=52:54:00:ab:cd:ef,romfile='));
    const subnet = buildQemuArgs({ ...base, nics: [{ ...nic, netdev: { type: 'user' as const, subnet: '192.168.77.0/24' } }] });
    assert.equal(valueOf(subnet, '-netdev'), 'user,id=net-nic0,net=192.168.77.0/24');
    const pxe = buildQemuArgs({ ...base, nics: [nic], bootOrder: ['network'] });
    assert.ok(valuesOf(pxe, '-device').includes('virtio-net-pci,id=nic0,netdev=net-nic0,mac=52:54:00:ab:cd:ef,bootindex=1'));
  });

  it('wires the serial port to a unix socket with a log file, or to the log file alone', () => {
    const both = buildQemuArgs({ ...base, serial: { socketPath: '/run/nc/vm/serial.sock', logPath: '/var/log/nc/vm.log' } });
    assert.ok(valuesOf(both, '-chardev').includes('socket,id=serial0,path=/run/nc/vm/serial.sock,server=on,wait=off,logfile=/var/log/nc/vm.log,logappend=on'));
    assert.equal(valueOf(both, '-serial'), 'chardev:serial0');
    const logOnly = buildQemuArgs({ ...base, serial: { logPath: '/var/log/nc/vm.log' } });
    assert.ok(valuesOf(logOnly, '-chardev').includes('file,id=serial0,path=/var/log/nc/vm.log,append=on'));
  });

  it('adds VNC on a unix socket with a std VGA, and the guest agent channel', () => {
    const args = buildQemuArgs({ ...base, vnc: { socketPath: '/run/nc/vm/vnc.sock' }, guestAgentSocketPath: '/run/nc/vm/qga.sock' });
    assert.equal(valueOf(args, '-vnc'), 'unix:/run/nc/vm/vnc.sock');
    assert.equal(valueOf(args, '-vga'), 'std');
    const devices = valuesOf(args, '-device');
    assert.ok(devices.includes('virtio-serial-pci,id=virtio-serial0'));
    assert.ok(devices.includes('virtserialport,bus=virtio-serial0.0,chardev=qga0,name=org.qemu.guest_agent.0'));
    assert.ok(valuesOf(args, '-chardev').includes('socket,id=qga0,path=/run/nc/vm/qga.sock,server=on,wait=off'));
  });

  it('escapes commas so a name cannot inject options', () => {
    assert.equal(valueOf(buildQemuArgs({ ...base, name: 'a,debug-threads=on' }), '-name'), 'guest=a,,debug-threads=on');
    assert.equal(escapeOptionValue('x,y'), 'x,,y');
    assert.equal(qemuOption('h', { a: true, b: false, c: undefined, d: ['1', '2'] }), 'h,a=on,b=off,d=1,d=2');
    assert.throws(() => escapeOptionValue('a\nb'));
  });

  it('rejects invalid specs naming the field', () => {
    const cases: Array<[Partial<QemuVmSpec>, string]> = [
      [{ uuid: 'nope' }, 'uuid'],
      [{ vcpus: 0 }, 'vcpus'],
      [{ memoryMiB: 8 }, 'memoryMiB'],
      [{ disks: [{ id: '1bad', path: '/a', format: 'raw', bus: 'virtio' }] }, 'disks[0].id'],
      [{ disks: [{ id: 'd', path: 'rel.img', format: 'raw', bus: 'virtio' }] }, 'disks[0].path'],
      [{ disks: [{ id: 'd', path: '/a', format: 'raw', bus: 'virtio' }, { id: 'd', path: '/b', format: 'raw', bus: 'virtio' }] }, 'disks[1].id'],
      [{ nics: [{ id: 'n', mac: '01:00:5e:00:00:01', netdev: { type: 'user' } }] }, 'nics[0].mac'],
      [{ nics: [{ id: 'n', mac: '52:54:00:00:00:01', netdev: { type: 'user', hostForwards: [{ protocol: 'tcp', hostPort: 0, guestPort: 22 }] } }] }, 'nics[0].netdev.hostForwards[0].hostPort'],
      [{ qmpSocketPath: `/tmp/${'x'.repeat(120)}.sock` }, 'qmpSocketPath'],
    ];
    for (const [patch, field] of cases) {
      assert.throws(() => buildQemuArgs({ ...base, ...patch }), (e: unknown) => e instanceof QemuSpecError && e.field === field, field);
    }
  });
});
