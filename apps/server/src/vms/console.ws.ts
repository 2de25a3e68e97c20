import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { WebSocket } from 'ws';
import type { AgentHub, ConsoleStream } from '../nodes/agent-hub';
import type { ConsoleService } from './console.service';
import type { VmRepository } from './vm.repository';

// Close codes a console client sees (4000 + the HTTP status it would have got).
const CLOSE = { badRequest: 4400, unauthorized: 4401, unavailable: 4409, nodeError: 4502 } as const;
// A browser that stops reading is cut off rather than buffered without bound.
const MAX_BUFFERED_BYTES = 8 * 1024 * 1024;

/**
 * `GET /api/v1/vms/{id}/console?type=vnc|serial&ticket=...`: a WebSocket relaying raw bytes between the client (noVNC,
 * xterm.js) and the VM's VNC or serial socket on its node, through the node's agent link. Authorized by a single-use ticket.
 */
export function registerConsoleSocket(app: FastifyInstance, consoles: ConsoleService, vms: VmRepository, hub: AgentHub): void {
  app.get('/api/v1/vms/:id/console', { websocket: true }, (socket: WebSocket, request: FastifyRequest) => {
    const { id } = request.params as { id: string };
    const q = request.query as { type?: string; ticket?: string };
    let stream: ConsoleStream | null = null;
    let closed = false;
    const pending: Buffer[] = [];
    socket.on('close', () => {
      closed = true;
      stream?.close();
    });
    socket.on('message', (data: Buffer | ArrayBuffer | Buffer[]) => {
      const bytes = Array.isArray(data) ? Buffer.concat(data) : Buffer.from(data as Buffer);
      if (stream) stream.write(bytes);
      else if (pending.length < 256) pending.push(bytes);
    });
    void (async () => {
      if (q.type !== 'vnc' && q.type !== 'serial') return socket.close(CLOSE.badRequest, 'type must be vnc or serial');
      const vm = q.ticket ? await consoles.redeem(id, q.ticket) : undefined;
      if (!vm) return socket.close(CLOSE.unauthorized, 'ticket unknown, expired or already used');
      const state = (await vms.status(vm.id))?.state;
      if (state !== 'running' && state !== 'paused') return socket.close(CLOSE.unavailable, `the VM is ${state ?? 'stopped'}`);
      try {
        const s = await hub.openConsole(vm.node_id ?? '', vm.id, q.type, {
          data: (bytes) => {
            if (socket.bufferedAmount > MAX_BUFFERED_BYTES) return socket.close(1013, 'client too slow');
            socket.send(bytes, { binary: true });
          },
          closed: (reason) => socket.close(1000, reason.slice(0, 120)),
        });
        if (closed) return s.close();
        stream = s;
        for (const b of pending.splice(0)) s.write(b);
      } catch (err) {
        socket.close(CLOSE.nodeError, (err as Error).message.slice(0, 120));
      }
    })().catch((err) => socket.close(1011, String((err as Error).message).slice(0, 120)));
  });
}
