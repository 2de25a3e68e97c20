import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { UsageError } from '../../exit-codes';
import { coerceSetting, nest, patchFromAssignments } from './assignments';

describe('settings key=value', () => {
  it('nests dotted keys', () => {
    assert.deepEqual(nest('smtp.port', 1), { smtp: { port: 1 } });
  });
  it('types values by the settings schema', () => {
    assert.equal(coerceSetting('smtp.port', '587'), 587);
    assert.equal(coerceSetting('smtp.user', '12345'), '12345');
    assert.equal(coerceSetting('smtp.password', 'true'), 'true');
    assert.equal(coerceSetting('require2fa', 'true'), true);
    assert.equal(coerceSetting('registration', 'open'), 'open');
    assert.equal(coerceSetting('publicUrl', 'https://nc.example.com'), 'https://nc.example.com');
  });
  it('merges several assignments into one patch and reads key=- from the reader', async () => {
    const patch = await patchFromAssignments(['smtp.host=mail', 'smtp.port=25', 'smtp.password=-', 'passwordPolicy.minLength=14'], async () => 's3cret');
    assert.deepEqual(patch, { smtp: { host: 'mail', port: 25, password: 's3cret' }, passwordPolicy: { minLength: 14 } });
  });
  it('rejects arguments that are not key=value', async () => {
    await assert.rejects(patchFromAssignments(['novalue'], async () => ''), UsageError);
    await assert.rejects(patchFromAssignments(['=x'], async () => ''), UsageError);
    await assert.rejects(patchFromAssignments(['a..b=1'], async () => ''), UsageError);
  });
});
