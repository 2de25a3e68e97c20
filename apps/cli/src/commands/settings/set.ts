import { record } from '../../output';
import { defineCommand } from '../../registry';
import { patchFromAssignments } from './assignments';

/** `novacron settings set key=value...`. */
export const settingsSetCommand = defineCommand({
  path: ['settings', 'set'],
  summary: 'Change settings: key=value (dotted keys; key=- reads the value from stdin, for secrets)',
  description:
    'Examples:\n  novacron settings set registration=open passwordPolicy.minLength=14\n' +
    '  novacron settings set smtp.host=mail.example.com smtp.port=587\n  printf "%s\\n" "$SMTP_PASSWORD" | novacron settings set smtp.password=-',
  args: '<key=value>...',
  minArgs: 1,
  maxArgs: 100,
  async run(ctx) {
    const patch = await patchFromAssignments(ctx.args, (key) => ctx.prompt.secret(`${key}: `, `the value of ${key}`));
    const settings = await ctx.api.call('settings.update', { body: patch as never });
    return record(settings);
  },
});
