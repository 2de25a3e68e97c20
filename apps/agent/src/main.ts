// The standalone node agent: `node --import tsx apps/agent/src/main.ts` on a hypervisor host (see docs/agent.md).
import { startAgent } from './agent';
import { jsonLogger } from './lib/logger';

const env = process.env;
if (process.argv.includes('--help')) {
  console.log(`novacron-agent: runs VMs on this host for a NovaCron control plane.

Environment:
  NOVACRON_SERVER_URL       control plane URL, e.g. https://novacron.example.com (required)
  NOVACRON_JOIN_TOKEN       join token from POST /api/v1/nodes/join-tokens (first start only)
  NOVACRON_AGENT_STATE_DIR  persistent state: credential, images, VM run files (default /var/lib/novacron-agent)
  NOVACRON_AGENT_CREDENTIAL_FILE  node credential file (default <state dir>/node-credential)
  NOVACRON_QEMU             QEMU binary (default qemu-system-x86_64)
  NOVACRON_LOG_LEVEL        debug | info | warn | error (default info)`);
  process.exit(0);
}
const level = (['debug', 'info', 'warn', 'error'] as const).find((l) => l === env.NOVACRON_LOG_LEVEL) ?? 'info';
const logger = jsonLogger(level);
if (!env.NOVACRON_SERVER_URL || !/^https?:\/\//.test(env.NOVACRON_SERVER_URL)) {
  console.error('novacron-agent: NOVACRON_SERVER_URL must be set to the control plane URL (http:// or https://)');
  process.exit(2);
}

let agent;
try {
  agent = await startAgent({
    serverUrl: env.NOVACRON_SERVER_URL,
    joinToken: env.NOVACRON_JOIN_TOKEN || undefined,
    stateDir: env.NOVACRON_AGENT_STATE_DIR || '/var/lib/novacron-agent',
    credentialFile: env.NOVACRON_AGENT_CREDENTIAL_FILE || undefined,
    qemuBinary: env.NOVACRON_QEMU || undefined,
    logger,
    onFatal: () => process.exit(1),
  });
} catch (error) {
  console.error(`novacron-agent: ${(error as Error).message}`);
  process.exit(1);
}
logger.info({ nodeId: agent.nodeId }, 'agent running');
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, async () => {
    // VMs keep running: they are QEMU daemons, re-adopted by the next agent start.
    await agent.stop();
    process.exit(0);
  });
}
