import { record } from '../../output';
import { defineCommand, type Command } from '../../registry';
import { resolveUserId } from '../../resolve';
import { userFields } from './columns';

function setDisabled(verb: 'disable' | 'enable', disabled: boolean): Command {
  return defineCommand({
    path: ['users', verb],
    summary: disabled ? 'Disable a user (signs every session out)' : 'Enable a disabled user',
    args: '<id|email>',
    minArgs: 1,
    async run(ctx) {
      const id = await resolveUserId(ctx.api, ctx.args[0]);
      const user = await ctx.api.call('users.update', { params: { id }, body: { disabled } });
      return record(user, userFields(user));
    },
  });
}

/** `novacron users disable <user>`. */
export const usersDisableCommand = setDisabled('disable', true);
/** `novacron users enable <user>`. */
export const usersEnableCommand = setDisabled('enable', false);
