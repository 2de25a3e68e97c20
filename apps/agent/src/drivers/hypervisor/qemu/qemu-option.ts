/** One property value of a QEMU option; arrays repeat the key, `undefined` omits it. */
export type QemuOptionValue = string | number | boolean | undefined | readonly string[];

/** Escapes a value for QEMU's comma-separated option syntax, where `,,` is a literal comma. */
export function escapeOptionValue(value: string): string {
  if (/[\0\n\r]/.test(value)) throw new Error(`QEMU option value contains a control character: ${JSON.stringify(value)}`);
  return value.replaceAll(',', ',,');
}

/** Renders `head,key=value,...` (booleans as on/off), e.g. `virtio-blk-pci,id=d0,drive=drive-d0`. */
export function qemuOption(head: string | undefined, props: Record<string, QemuOptionValue>): string {
  const parts = head === undefined ? [] : [escapeOptionValue(head)];
  for (const [key, value] of Object.entries(props)) {
    if (value === undefined) continue;
    const values = Array.isArray(value) ? value : [value];
    for (const v of values) parts.push(`${key}=${typeof v === 'boolean' ? (v ? 'on' : 'off') : escapeOptionValue(String(v))}`);
  }
  return parts.join(',');
}
