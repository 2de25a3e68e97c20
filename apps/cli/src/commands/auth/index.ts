import type { Command } from '../../registry';
import { loginCommand } from './login';
import { logoutCommand } from './logout';
import { setupCommand } from './setup';
import { whoamiCommand } from './whoami';

/** Sign-in commands (top level: `setup`, `login`, `logout`, `whoami`). */
export const authCommands: Command[] = [setupCommand, loginCommand, logoutCommand, whoamiCommand];
