import type { Kysely, Migration } from 'kysely';

/** Identity additions: TOTP replay guard and a recognisable prefix for API tokens. */
export const m002Auth: Migration = {
  async up(db: Kysely<any>) {
    // The last TOTP step accepted: a code (or an earlier one) cannot be replayed within its 90-second window.
    await db.schema.alterTable('users').addColumn('totp_last_step', 'integer').execute();
    await db.schema.alterTable('api_tokens').addColumn('prefix', 'text', (c) => c.notNull().defaultTo('')).execute();
    await db.schema.createIndex('api_tokens_user').on('api_tokens').column('user_id').execute();
    await db.schema.createIndex('refresh_tokens_session').on('refresh_tokens').column('session_id').execute();
    await db.schema.createIndex('one_time_tokens_user').on('one_time_tokens').column('user_id').execute();
  },
};
