import { randomBytes } from 'node:crypto';

/** A random locally administered MAC in QEMU's 52:54:00 prefix. */
export function randomMac(bytes: Buffer = randomBytes(3)): string {
  return ['52', '54', '00', ...[...bytes.subarray(0, 3)].map((b) => b.toString(16).padStart(2, '0'))].join(':');
}

/** A MAC nobody uses yet: retries on collision (16.7 million choices; the unique index is the final word). */
export async function allocateMac(taken: (mac: string) => Promise<boolean>, reserved: Set<string> = new Set()): Promise<string> {
  for (let i = 0; i < 64; i++) {
    const mac = randomMac();
    if (!reserved.has(mac) && !(await taken(mac))) {
      reserved.add(mac);
      return mac;
    }
  }
  throw new Error('could not allocate a free MAC address');
}
