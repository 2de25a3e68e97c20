import { createHash } from 'node:crypto';

// QEMU device ids must start with a letter and stay short (see qemu-spec-validation.ts); protocol ids may be longer or
// start with a digit. The mapping is deterministic so hot-plug code finds the device of a disk/NIC id again.
const QEMU_ID = /^[A-Za-z][A-Za-z0-9_-]{0,23}$/;

/** The QEMU device id of a protocol disk/NIC id: the id itself when QEMU accepts it, else `<prefix>` + a hash. */
export function qemuDeviceId(prefix: 'd' | 'n', id: string): string {
  if (QEMU_ID.test(id)) return id;
  return `${prefix}${createHash('sha256').update(id).digest('hex').slice(0, 20)}`;
}

/** A stable UUID (SMBIOS) for a VM id, so a guest sees the same machine id on every start. */
export function vmUuid(vmId: string): string {
  const h = createHash('sha256').update(`novacron-vm:${vmId}`).digest('hex');
  // Shaped as a version 5 (name-based) UUID with the RFC 4122 variant bits.
  const variant = ((Number.parseInt(h[16], 16) & 0x3) | 0x8).toString(16);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-5${h.slice(13, 16)}-${variant}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}
