import { UsageError } from '../../exit-codes';
import { record } from '../../output';
import { defineCommand } from '../../registry';

/** `novacron settings get [key]`: every setting, or one (dotted keys such as smtp.host). */
export const settingsGetCommand = defineCommand({
  path: ['settings', 'get'],
  summary: 'Show the system settings, or one of them (dotted key: smtp.host)',
  args: '[key]',
  maxArgs: 1,
  async run(ctx) {
    const settings = await ctx.api.call('settings.get');
    if (!ctx.args.length) return record(settings);
    let value: unknown = settings;
    for (const part of ctx.args[0].split('.')) {
      if (!value || typeof value !== 'object' || !Object.hasOwn(value, part)) throw new UsageError(`no setting ${ctx.args[0]}`);
      value = (value as Record<string, unknown>)[part];
    }
    if (value && typeof value === 'object') return record(value);
    return { kind: 'text', data: value, text: value === null ? '' : String(value) };
  },
});
