import type { Command } from '../../registry';
import { loginCommand } from './login';
import { logoutCommand } from './logout';
import { whoamiCommand } from './whoami';

/** Sign-in commands (top level: `login`, `logout`, `whoami`). */
export const authCommands: Command[] = [loginCommand, logoutCommand, whoamiCommand];
