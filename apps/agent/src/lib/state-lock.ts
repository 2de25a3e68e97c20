import { open, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { AgentError } from './agent-error';
import { isErrno } from './fs-util';
import { processAlive } from './process-util';

const held = new Set<string>();

/**
 * Takes `<stateDir>/agent.lock` (holding our pid). Two agents on one state directory would fight over every VM's single
 * QMP connection, so a second one is refused while the first lives; a lock left by a dead agent is taken over.
 * Returns the release function.
 */
export async function lockStateDir(stateDir: string): Promise<() => Promise<void>> {
  const path = join(stateDir, 'agent.lock');
  if (held.has(path)) throw new AgentError('IN_USE', `an agent in this process already uses ${stateDir}`);
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      const handle = await open(path, 'wx', 0o600);
      await handle.writeFile(`${process.pid}\n`);
      await handle.close();
      held.add(path);
      return async () => {
        held.delete(path);
        await rm(path, { force: true });
      };
    } catch (error) {
      if (!isErrno(error, 'EEXIST')) throw error;
      const pid = Number.parseInt(await readFile(path, 'utf8').catch(() => ''), 10);
      if (Number.isInteger(pid) && pid > 0 && pid !== process.pid && processAlive(pid)) {
        throw new AgentError('IN_USE', `another agent (pid ${pid}) uses ${stateDir}`);
      }
      await rm(path, { force: true }); // stale: its agent is gone
    }
  }
  throw new AgentError('IN_USE', `cannot take ${path}`);
}
