import { AGENT_CONNECT_PATH } from '@novacron/api';
import type { FastifyInstance } from 'fastify';
import type { WebSocket } from 'ws';
import type { AgentHub } from './agent-hub';

/** `GET /api/v1/agent/connect`: the node agent WebSocket. Agents authenticate inside the protocol (hello), not with HTTP headers. */
export function registerAgentLink(app: FastifyInstance, hub: AgentHub): void {
  app.get(AGENT_CONNECT_PATH, { websocket: true }, (socket: WebSocket) => hub.accept(socket));
  // Before Fastify closes sockets, so their close handlers do not write to a store that is about to close.
  app.addHook('preClose', async () => hub.close());
}
