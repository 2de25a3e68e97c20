import type { CommandHandlers } from '../link/command-dispatcher';
import type { CommandDeps } from './command-deps';
import { imageCommandHandlers } from './image.commands';
import { vmCommandHandlers } from './vm.commands';
import { volumeCommandHandlers } from './volume.commands';

/** Every command handler the agent core provides; other modules add theirs with `CommandDispatcher.register`. */
export function coreCommandHandlers(deps: CommandDeps): CommandHandlers {
  return { ...vmCommandHandlers(deps), ...imageCommandHandlers(deps), ...volumeCommandHandlers(deps) };
}
