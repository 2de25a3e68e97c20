import type { FastifyInstance } from 'fastify';
import { registerBinaryBodies } from '../http/routes/image.routes';
import { registerAgentUploads } from '../images/agent-uploads.route';
import { registerAgentLink } from '../nodes/agent-link.ws';
import type { Services } from '../services';
import { registerConsoleSocket } from '../vms/console.ws';

/** The compute routes outside the JSON contract: the agent WebSocket, agent upload fetches, VM consoles, binary bodies. */
export async function registerComputeSockets(app: FastifyInstance, s: Services): Promise<void> {
  const c = s.compute;
  await c.start();
  registerBinaryBodies(app);
  registerAgentLink(app, c.hub);
  registerAgentUploads(app, c.nodeRepo, c.spool);
  registerConsoleSocket(app, c.consoles, c.vmRepo, c.hub);
}
