import { join } from 'node:path';
import { startAgent, type RunningAgent } from '../../../agent/src/agent';
import type { Services } from '../services';

/** Logging surface shared by pino and the agent. */
type Logger = { debug(o: object, m: string): void; info(o: object, m: string): void; warn(o: object, m: string): void; error(o: object, m: string): void };

/**
 * The embedded default: one node agent for this host in the server process, over the same WebSocket protocol as any
 * remote agent (loopback). It gets a fresh short-lived join token each start; once it holds a node credential (in
 * `<dataDir>/agent/node-credential`) it uses that and the token simply expires unused.
 */
export async function startEmbeddedAgent(s: Services, serverUrl: string, logger: Logger): Promise<RunningAgent> {
  const { token } = await s.compute.nodes.createJoinToken({ ttlSeconds: 600, description: 'embedded agent', createdBy: null });
  return startAgent({
    serverUrl,
    joinToken: token,
    stateDir: join(s.config.dataDir, 'agent'),
    logger,
    onFatal: (err) => logger.error({ err: err.message }, 'the embedded agent was refused by the control plane'),
  });
}
