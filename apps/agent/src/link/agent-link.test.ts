import type { CommandMessage, DesiredMessage, NodeInventory } from '@novacron/api';
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, before, describe, it } from 'node:test';
import { AgentError } from '../lib/agent-error';
import { silentLogger } from '../lib/logger';
import { TestControlPlane } from '../testing/test-control-plane';
import { AgentLink, type AgentLinkOptions } from './agent-link';
import { CommandDispatcher } from './command-dispatcher';
import { CredentialStore } from './credential-store';

const inventory: NodeInventory = {
  cpuModel: 'test', cpus: 2, memoryMiB: 1024, disks: [], kvm: false, accel: 'tcg', qemuVersion: '7.2.22', agentVersion: '0.1.0', arch: 'x86_64',
};

describe('AgentLink and CommandDispatcher (scripted control plane)', () => {
  let cp: TestControlPlane;
  let dir: string;
  const links: AgentLink[] = [];

  before(async () => {
    cp = await TestControlPlane.start();
    dir = await mkdtemp(join(tmpdir(), 'nc-link-'));
  });
  after(async () => {
    for (const link of links) link.stop();
    await cp.close();
    await rm(dir, { recursive: true, force: true });
  });

  function link(over: Partial<AgentLinkOptions> & { credentials: CredentialStore }): { link: AgentLink; desired: DesiredMessage[]; commands: CommandMessage[] } {
    const desired: DesiredMessage[] = [];
    const commands: CommandMessage[] = [];
    const l = new AgentLink({
      serverUrl: cp.url, hostname: 'host-a', inventory, logger: silentLogger, backoff: { initialMs: 20, maxMs: 100 },
      onDesired: (m) => desired.push(m), onCommand: (m) => commands.push(m), onCommandCancel: () => {}, onConsoleData: () => {},
      heartbeat: async () => ({ vms: [], pools: [] }),
      ...over,
    });
    links.push(l);
    return { link: l, desired, commands };
  }

  it('joins with the token, stores the credential 0600, and reconnects with the credential after a drop', async () => {
    const credentials = new CredentialStore(join(dir, 'cred'));
    const { link: l, desired } = link({ credentials, joinToken: cp.joinToken });
    const welcome = await l.start();
    assert.equal(welcome.nodeId, cp.nodeId);
    assert.equal((await readFile(join(dir, 'cred'), 'utf8')).trim(), cp.credential);
    assert.equal((await stat(join(dir, 'cred'))).mode & 0o777, 0o600);
    await cp.waitFor(() => desired.length === 1, 'desired at connect');

    l.send({ type: 'vm.event', vmId: 'v1', event: 'crashed', time: new Date().toISOString(), detail: {} });
    cp.disconnect();
    await cp.waitFor(() => !l.online, 'offline');
    l.send({ type: 'vm.event', vmId: 'v1', event: 'stopped', time: new Date().toISOString(), detail: {} }); // queued
    await cp.waitFor(() => cp.hellos.length === 2 && l.online, 'reconnected');
    assert.equal(cp.hellos[1].nodeCredential, cp.credential);
    assert.equal(cp.hellos[1].joinToken, undefined);
    await cp.waitFor(() => cp.events.some((e) => e.event === 'stopped'), 'event sent while offline arrives after reconnect');
    await cp.waitFor(() => desired.length === 2, 'desired again after reconnect');
    await cp.waitFor(() => cp.received.filter((m) => m.type === 'heartbeat').length >= 2, 'heartbeats');
    l.stop();
  });

  it('gives up (fatal) when the credential is refused and there is no join token', async () => {
    cp.credential = 'ncn_someone-else';
    let fatal: Error | undefined;
    const { link: l } = link({ credentials: new CredentialStore(join(dir, 'cred')), onFatal: (e) => (fatal = e) });
    await assert.rejects(l.start(), /refused this node/);
    assert.ok(fatal);
    const hellos = cp.hellos.length;
    await sleep(200);
    assert.equal(cp.hellos.length, hellos, 'no retry with a refused credential');
  });

  it('answers each command once (a repeated id gets the same result), unknown kinds UNSUPPORTED, bad args BAD_REQUEST', async () => {
    cp.credential = undefined; // the scripted server accepts the join token again
    const credentials = new CredentialStore(join(dir, 'cred2'));
    let runs = 0;
    const l: { link?: AgentLink } = {};
    const dispatcher = new CommandDispatcher({
      'vm.reset': async () => {
        runs++;
        await sleep(50);
        return {};
      },
      'vm.powerdown': async () => {
        throw new AgentError('INVALID_STATE', 'VM v9 is not running');
      },
    }, (m) => l.link?.send(m) ?? false, silentLogger);
    const made = link({ credentials, joinToken: cp.joinToken, onCommand: (m) => dispatcher.dispatch(m) });
    l.link = made.link;
    await made.link.start();
    const cmd = { type: 'command', commandId: 'c-dup', kind: 'vm.reset', args: { vmId: 'v1' }, timeoutMs: 5000 };
    cp.sendRaw(cmd);
    cp.sendRaw(cmd);
    await cp.waitFor(() => cp.received.some((m) => m.type === 'command.result' && m.commandId === 'c-dup'), 'result');
    cp.sendRaw(cmd);
    await cp.waitFor(() => cp.received.filter((m) => m.type === 'command.result' && m.commandId === 'c-dup').length === 2, 'repeat answered');
    assert.equal(runs, 1);
    assert.equal((await cp.command('vm.snapshot.delete', { vmId: 'v1', snapshotId: 's1' })).error?.code, 'UNSUPPORTED');
    assert.equal((await cp.command('vm.reset', { vmId: 'not valid!' })).error?.code, 'BAD_REQUEST');
    assert.deepEqual((await cp.command('vm.powerdown', { vmId: 'v9' })).error, { code: 'INVALID_STATE', message: 'VM v9 is not running' });
    assert.deepEqual(cp.invalid, []);
  });

  it('command.cancel aborts a running command, which answers CANCELLED; a cancel of an ended one is a no-op', async () => {
    cp.credential = undefined;
    const credentials = new CredentialStore(join(dir, 'cred3'));
    let aborted: unknown;
    const l: { link?: AgentLink } = {};
    const dispatcher = new CommandDispatcher({
      'image.delete': async (_args, ctx) => {
        await new Promise<void>((resolve) => ctx.signal.addEventListener('abort', () => resolve(), { once: true }));
        aborted = ctx.signal.reason;
        throw new AgentError('IO_ERROR', 'download aborted');
      },
    }, (m) => l.link?.send(m) ?? false, silentLogger);
    const made = link({ credentials, joinToken: cp.joinToken, onCommand: (m) => dispatcher.dispatch(m), onCommandCancel: (id) => dispatcher.cancel(id) });
    l.link = made.link;
    await made.link.start();
    cp.sendRaw({ type: 'command', commandId: 'c-long', kind: 'image.delete', args: { imageId: 'i1' }, timeoutMs: 60_000 });
    await sleep(50);
    cp.sendRaw({ type: 'command.cancel', commandId: 'c-long' });
    await cp.waitFor(() => cp.received.some((m) => m.type === 'command.result' && m.commandId === 'c-long'), 'cancelled result');
    const result = cp.received.find((m) => m.type === 'command.result' && m.commandId === 'c-long');
    assert.deepEqual(result && 'error' in result ? result.error?.code : undefined, 'CANCELLED');
    assert.match(String((aborted as Error).message), /cancelled by the control plane/);
    cp.sendRaw({ type: 'command.cancel', commandId: 'c-long' }); // already ended
    cp.sendRaw({ type: 'command.cancel', commandId: 'never-sent' });
    await sleep(50);
    assert.deepEqual(cp.invalid, []);
  });
});
