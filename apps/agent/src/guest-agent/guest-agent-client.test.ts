import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { GuestAgentError, GuestAgentSession, guestAddresses, guestShutdown, queryGuestInfo, withGuestAgent } from './guest-agent-client';
import { FAKE_INTERFACES, FakeGuestAgent } from './testing/fake-guest-agent';

describe('guest agent client (against a test-only fake QGA socket)', () => {
  let dir: string;
  let n = 0;
  const socketPath = () => join(dir, `qga-${++n}.sock`);
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'nc-qga-'));
  });
  after(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('reads IP addresses (no loopback or link-local) and the OS name', async () => {
    const fake = await FakeGuestAgent.start(socketPath());
    try {
      assert.deepEqual(await queryGuestInfo(fake.path), { ipAddresses: ['10.0.2.15', 'fec0::5054:ff:fe12:3456'], os: 'Debian GNU/Linux 12 (bookworm)' });
      assert.deepEqual(fake.received.map((r) => r.execute), ['guest-sync-delimited', 'guest-ping', 'guest-network-get-interfaces', 'guest-get-osinfo']);
    } finally {
      await fake.close();
    }
  });

  it('skips a stale reply left from an earlier session before the sync answer', async () => {
    const fake = await FakeGuestAgent.start(socketPath(), { staleReply: '{"return": {"stale": true}}' });
    try {
      await withGuestAgent(fake.path, async (s) => assert.deepEqual(await s.execute('guest-ping'), {}));
    } finally {
      await fake.close();
    }
  });

  it('treats a channel where nobody answers as "no guest agent": undefined / false, within the sync timeout', async () => {
    const fake = await FakeGuestAgent.start(socketPath(), { mode: 'silent' });
    try {
      const at = Date.now();
      assert.equal(await queryGuestInfo(fake.path, { syncTimeoutMs: 300 }), undefined);
      assert.ok(Date.now() - at < 2000);
      assert.equal(await guestShutdown(fake.path, 'powerdown', { syncTimeoutMs: 300 }), false);
      await assert.rejects(GuestAgentSession.open(fake.path, { syncTimeoutMs: 200 }), (e: unknown) => e instanceof GuestAgentError && e.reason === 'unavailable');
      assert.equal(await queryGuestInfo(join(dir, 'no-such.sock')), undefined, 'no channel at all');
    } finally {
      await fake.close();
    }
  });

  it('asks for a shutdown (no reply on success) and reports a refused one', async () => {
    const fake = await FakeGuestAgent.start(socketPath());
    try {
      assert.equal(await guestShutdown(fake.path, 'reboot'), true);
      assert.deepEqual(fake.received.at(-1), { execute: 'guest-shutdown', arguments: { mode: 'reboot' } });
    } finally {
      await fake.close();
    }
    const refusing = await FakeGuestAgent.start(socketPath(), { failing: ['guest-shutdown', 'guest-get-osinfo'] });
    try {
      await assert.rejects(guestShutdown(refusing.path, 'powerdown'), (e: unknown) => e instanceof GuestAgentError && e.reason === 'command-failed' && e.errorClass === 'GenericError');
      // An optional query failing still gives what the guest agent could say.
      assert.deepEqual(await queryGuestInfo(refusing.path), { ipAddresses: ['10.0.2.15', 'fec0::5054:ff:fe12:3456'], os: undefined });
    } finally {
      await refusing.close();
    }
  });

  it('skips the QGA socket entirely when QMP says the guest never opened the channel', async () => {
    const fake = await FakeGuestAgent.start(socketPath());
    const qmp = { execute: async <T>() => [{ label: 'qga0', filename: 'unix:x', 'frontend-open': false }] as T };
    try {
      assert.equal(await queryGuestInfo(fake.path, { qmp }), undefined);
      assert.deepEqual(fake.received, []);
    } finally {
      await fake.close();
    }
    assert.deepEqual(guestAddresses(FAKE_INTERFACES as never), ['10.0.2.15', 'fec0::5054:ff:fe12:3456']);
    assert.deepEqual(guestAddresses([{ name: 'eth1', 'ip-addresses': [{ 'ip-address-type': 'ipv4', 'ip-address': '', prefix: 24 }, { 'ip-address-type': 'ipv4', 'ip-address': 'none', prefix: 24 }] }]), [], 'what is not an address is left out');
  });
});
