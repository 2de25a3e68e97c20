import { stringFlag } from '../../args';
import { UsageError } from '../../exit-codes';
import { text } from '../../output';
import { defineCommand } from '../../registry';
import { resolveVmId } from '../../resolve-compute';
import { bridgeConsole, consoleFailure } from './console-bridge';

/** The WebSocket URL of a console ticket's (relative) url on `server`. */
export function consoleSocketUrl(server: string, ticketUrl: string): string {
  const u = new URL(ticketUrl, `${server}/`);
  u.protocol = u.protocol === 'https:' ? 'wss:' : 'ws:';
  return u.toString();
}

/** `novacron vm console <vm>`: the serial console in the terminal; Ctrl-] ends it. */
export const vmConsoleCommand = defineCommand({
  path: ['vm', 'console'],
  summary: 'Attach the terminal to the serial console of a running VM (Ctrl-] to quit)',
  description:
    'On a terminal, keys go to the guest in raw mode (Ctrl-C included); press Ctrl-] to detach.\n' +
    'With standard input piped, its bytes are sent and the session ends once the guest has been quiet for --idle ms.',
  args: '<id|name>',
  minArgs: 1,
  flags: {
    type: { type: 'string', value: 'TYPE', description: 'Only serial is shown in a terminal (VNC needs a viewer)' },
    idle: { type: 'string', value: 'MS', description: 'With piped input: quiet time before detaching (default 500)' },
  },
  async run(ctx) {
    const type = stringFlag(ctx.flags, 'type') ?? 'serial';
    if (type !== 'serial') throw new UsageError('--type: only serial can be shown in a terminal');
    const idleRaw = stringFlag(ctx.flags, 'idle');
    const idle = idleRaw === undefined ? undefined : Number(idleRaw);
    if (idle !== undefined && (!Number.isInteger(idle) || idle < 0 || idle > 600_000)) throw new UsageError('--idle: milliseconds between 0 and 600000');
    const id = await resolveVmId(ctx.api, ctx.args[0]);
    const ticket = await ctx.api.call('vms.consoleTickets.create', { params: { id } });
    const url = new URL(consoleSocketUrl(ctx.api.server, ticket.url));
    url.searchParams.set('type', 'serial');
    const tty = ctx.io.stdin.isTTY === true;
    if (tty) ctx.io.stderr.write(`Connected to the serial console of ${ctx.args[0]}. Press Ctrl-] to detach.\r\n`);
    const end = await bridgeConsole(url.toString(), ctx.io, { idleAfterEofMs: idle });
    if (tty) ctx.io.stderr.write(`\r\nDetached from ${ctx.args[0]}.\r\n`);
    const failure = consoleFailure(end);
    if (failure) throw failure;
    if (!end.byClient) ctx.io.stderr.write(`Console closed: ${end.reason || 'the VM stopped'}\n`);
    return text(undefined, '');
  },
});
