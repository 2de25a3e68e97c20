import { spawn } from 'node:child_process';
import { AgentError } from '../../../lib/agent-error';

/**
 * Runs QEMU with `-daemonize` (argument array, never a shell) and waits for the launcher to exit: QEMU's parent process
 * only exits after the daemon finished initialising (pidfile written, sockets listening) or failed, with its error on
 * stderr. The daemon is not our child, so it outlives the agent.
 */
export async function launchDaemonized(binary: string, args: string[], cwd: string, timeoutMs = 60_000): Promise<void> {
  const launcher = spawn(binary, args, { cwd, stdio: ['ignore', 'ignore', 'pipe'], detached: true });
  let stderr = '';
  launcher.stderr?.on('data', (chunk: Buffer) => {
    if (stderr.length < 8192) stderr += chunk.toString();
  });
  const code = await new Promise<number | null>((resolve, reject) => {
    const timer = setTimeout(() => {
      launcher.kill('SIGKILL');
      reject(new AgentError('TIMEOUT', `QEMU did not finish starting within ${timeoutMs} ms`));
    }, timeoutMs);
    launcher.once('error', (error) => {
      clearTimeout(timer);
      reject(new AgentError('HYPERVISOR_ERROR', `cannot run ${binary}: ${error.message}`, { cause: error }));
    });
    launcher.once('exit', (exitCode) => {
      clearTimeout(timer);
      resolve(exitCode);
    });
  });
  launcher.stderr?.destroy();
  if (code !== 0) {
    const message = stderr.trim().split('\n').filter(Boolean).slice(-4).join('; ') || `exit code ${code}`;
    throw new AgentError('HYPERVISOR_ERROR', `QEMU failed to start: ${message}`);
  }
}
