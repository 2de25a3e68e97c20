import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, afterEach, before, describe, it } from 'node:test';
import { QmpClient } from './qmp-client.ts';
import { QmpClosedError, QmpConnectError, QmpError, QmpProtocolError, QmpTimeoutError } from './qmp-errors.ts';
import type { QmpEvent } from './qmp-types.ts';
import { FakeQmpServer, type FakeQmpCommand, type FakeQmpHandler } from './testing/fake-qmp-server.ts';

describe('QmpClient (against the fake QMP server)', () => {
  let dir: string;
  let server: FakeQmpServer | undefined;
  let client: QmpClient | undefined;

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'nc-qmp-'));
  });
  afterEach(async () => {
    await client?.close();
    await server?.stop();
    client = undefined;
    server = undefined;
  });
  after(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  async function start(handler?: FakeQmpHandler): Promise<QmpClient> {
    server = await FakeQmpServer.start(join(dir, 'qmp.sock'), { handler });
    client = await QmpClient.connect(server.path, { connectTimeoutMs: 2000, defaultTimeoutMs: 2000 });
    return client;
  }

  it('reads the greeting and negotiates capabilities before anything else', async () => {
    const qmp = await start();
    assert.equal(qmp.greeting.QMP.version.qemu.major, 7);
    assert.equal(qmp.greeting.QMP.version.package, 'fake-qmp-server');
    assert.equal(server?.received[0]?.execute, 'qmp_capabilities');
    assert.deepEqual(await qmp.execute('query-status'), {});
  });

  it('sends enabled capabilities and arguments', async () => {
    server = await FakeQmpServer.start(join(dir, 'qmp.sock'), { handler: (cmd, conn) => conn.reply(cmd, cmd.arguments) });
    client = await QmpClient.connect(server.path, { capabilities: ['oob'] });
    assert.deepEqual(server.received[0]?.arguments, { enable: ['oob'] });
    assert.deepEqual(await client.execute('balloon', { value: 1024 }), { value: 1024 });
  });

  it('matches interleaved replies to their commands by id', async () => {
    const held: FakeQmpCommand[] = [];
    const qmp = await start((cmd, conn) => {
      held.push(cmd);
      if (held.length === 3) for (const c of held.reverse()) conn.reply(c, { name: c.execute });
    });
    const results = await Promise.all([qmp.execute('a'), qmp.execute('b'), qmp.execute('c')]);
    assert.deepEqual(results, [{ name: 'a' }, { name: 'b' }, { name: 'c' }]);
    const ids = server?.received.slice(1).map((c) => c.id);
    assert.equal(new Set(ids).size, 3, 'every command has its own id');
  });

  it('rejects with QmpError carrying the QMP error class and description', async () => {
    const qmp = await start((cmd, conn) => conn.fail(cmd, 'DeviceNotFound', "Device 'nope' not found"));
    const error = await qmp.execute('device_del', { id: 'nope' }).catch((e: unknown) => e);
    assert.ok(error instanceof QmpError);
    assert.equal(error.code, 'QMP_COMMAND_FAILED');
    assert.equal(error.command, 'device_del');
    assert.equal(error.errorClass, 'DeviceNotFound');
    assert.equal(error.desc, "Device 'nope' not found");
    assert.deepEqual(await qmp.execute('query-status').catch(() => 'still failing'), 'still failing');
  });

  it('delivers an event that arrives before the reply to a waiter registered first', async () => {
    const qmp = await start((cmd, conn) => {
      conn.event('STOP');
      conn.reply(cmd);
    });
    const stopped = qmp.waitForEvent('STOP', undefined, 1000);
    await qmp.execute('stop');
    assert.equal((await stopped).event, 'STOP');

    const { event } = await qmp.executeAndWaitForEvent('stop', undefined, 'STOP');
    assert.equal(event.event, 'STOP');
    assert.equal(typeof event.timestamp.seconds, 'number');
    assert.deepEqual(event.data, {});
  });

  it('filters events with a predicate and streams them to listeners and iterators', async () => {
    const qmp = await start((cmd, conn) => {
      conn.reply(cmd);
      conn.event('DEVICE_DELETED', { path: '/machine/peripheral/d1/virtio-backend' });
      conn.event('DEVICE_DELETED', { device: 'd1', path: '/machine/peripheral/d1' });
    });
    const seen: string[] = [];
    const unsubscribe = qmp.onEvent((e) => seen.push(e.event));
    const iterator = qmp.events();
    const deleted = qmp.waitForEvent('DEVICE_DELETED', (e) => e.data.device === 'd1', 1000);
    await qmp.execute('device_del', { id: 'd1' });
    assert.equal((await deleted).data.path, '/machine/peripheral/d1');
    assert.deepEqual(seen, ['DEVICE_DELETED', 'DEVICE_DELETED']);
    unsubscribe();
    const first = await iterator.next();
    assert.equal((first.value as QmpEvent).data.path, '/machine/peripheral/d1/virtio-backend');
    await iterator.return?.();
    assert.equal((await iterator.next()).done, true);
  });

  it('times out a command without a reply, ignores the late reply, and keeps working', async () => {
    let late: (() => void) | undefined;
    const qmp = await start((cmd, conn) => {
      if (cmd.execute === 'slow') late = () => conn.reply(cmd, 'late');
      else conn.reply(cmd, 'ok');
    });
    const started = Date.now();
    const error = await qmp.execute('slow', undefined, { timeoutMs: 100 }).catch((e: unknown) => e);
    assert.ok(error instanceof QmpTimeoutError);
    assert.equal(error.code, 'QMP_TIMEOUT');
    assert.ok(Date.now() - started >= 95);
    late?.();
    assert.equal(await qmp.execute('fast'), 'ok');
  });

  it('times out an event wait and an executeAndWaitForEvent whose command fails leaves nothing behind', async () => {
    const qmp = await start((cmd, conn) => conn.fail(cmd, 'GenericError', 'no'));
    await assert.rejects(qmp.waitForEvent('SHUTDOWN', undefined, 50), QmpTimeoutError);
    await assert.rejects(qmp.executeAndWaitForEvent('system_powerdown', undefined, 'SHUTDOWN', undefined, { timeoutMs: 50 }), QmpError);
  });

  it('rejects pending commands and waiters when the server closes, then fails fast', async () => {
    const qmp = await start((cmd, conn) => {
      if (cmd.execute === 'quit') conn.close();
    });
    const pending = qmp.execute('hang');
    const waiter = qmp.waitForEvent('SHUTDOWN', undefined, 5000);
    const iterator = qmp.events();
    await assert.rejects(qmp.execute('quit'), QmpClosedError);
    await assert.rejects(pending, QmpClosedError);
    await assert.rejects(waiter, QmpClosedError);
    assert.equal((await iterator.next()).done, true);
    await qmp.closed;
    assert.equal(qmp.isClosed, true);
    await assert.rejects(qmp.execute('query-status'), QmpClosedError);
    await assert.rejects(qmp.waitForEvent('STOP'), QmpClosedError);
  });

  it('rejects pending commands when the client closes', async () => {
    const qmp = await start(() => undefined);
    const pending = qmp.execute('hang');
    await qmp.close();
    await assert.rejects(pending, QmpClosedError);
  });

  it('closes on invalid JSON with a protocol error', async () => {
    const qmp = await start((_cmd, conn) => conn.raw('{not json'));
    await assert.rejects(qmp.execute('x'), QmpClosedError);
    assert.ok(qmp.closeReason instanceof QmpProtocolError);
  });

  it('fails to connect: no socket (no retry), connect timeout while retrying, greeting timeout', async () => {
    const missing = join(dir, 'missing.sock');
    await assert.rejects(QmpClient.connect(missing, { retryIntervalMs: 0 }), QmpConnectError);
    const started = Date.now();
    await assert.rejects(QmpClient.connect(missing, { connectTimeoutMs: 200, retryIntervalMs: 20 }), QmpTimeoutError);
    assert.ok(Date.now() - started < 1000);

    server = await FakeQmpServer.start(join(dir, 'mute.sock'), { greet: false });
    const error = await QmpClient.connect(server.path, { connectTimeoutMs: 150 }).catch((e: unknown) => e);
    assert.ok(error instanceof QmpTimeoutError);
    assert.equal(error.operation, 'greeting');
  });

  it('waits for a socket that appears while connecting (QEMU still starting)', async () => {
    const path = join(dir, 'late.sock');
    const connecting = QmpClient.connect(path, { connectTimeoutMs: 2000, retryIntervalMs: 20 });
    await new Promise((resolve) => setTimeout(resolve, 100));
    server = await FakeQmpServer.start(path);
    client = await connecting;
    assert.deepEqual(await client.execute('query-status'), {});
  });

  it('fails the greeting when a non-QMP peer closes straight away', async () => {
    const path = join(dir, 'rude.sock');
    const rude = net.createServer((socket) => socket.destroy());
    await new Promise<void>((resolve) => rude.listen(path, resolve));
    try {
      await assert.rejects(QmpClient.connect(path, { connectTimeoutMs: 1000 }), QmpClosedError);
    } finally {
      await new Promise((resolve) => rude.close(resolve));
    }
  });
});
