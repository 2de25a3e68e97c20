import { routes, type Settings } from '@novacron/api';
import { Alert, Button, Card, Group, NumberInput, PasswordInput, Select, SimpleGrid, Stack, Switch, Text, TextInput, Title } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useEffect, useState, type FormEvent, type ReactNode } from 'react';
import { useSettings, useTestEmail, useUpdateSettings } from '../../api/hooks/settings.hooks';
import { ErrorAlert } from '../../components/ErrorAlert';
import { PageHeader } from '../../components/PageHeader';
import { PermissionButton } from '../../components/PermissionButton';
import { QueryState } from '../../components/QueryState';
import { zodFieldErrors } from '../../components/format';
import { useAuth } from '../../context/auth-context';

function Section({ title, children }: { title: string; children: ReactNode }) {
  return (
    <Card withBorder component="section" aria-label={title}>
      <Title order={3} size="h4" mb="sm">{title}</Title>
      <Stack gap="sm">{children}</Stack>
    </Card>
  );
}

const human = (s: number) => (s % 86_400 === 0 ? `${s / 86_400} day(s)` : s % 3600 === 0 ? `${s / 3600} hour(s)` : s % 60 === 0 ? `${s / 60} minute(s)` : `${s} s`);

function SettingsForm({ settings }: { settings: Settings }) {
  const { can } = useAuth();
  const readOnly = !can('settings:write');
  const update = useUpdateSettings();
  const testEmail = useTestEmail();
  const [s, setS] = useState<Settings>(settings);
  const [smtpPassword, setSmtpPassword] = useState('');
  const [testTo, setTestTo] = useState('');
  const [errors, setErrors] = useState<Record<string, string>>({});
  useEffect(() => setS(settings), [settings]);

  const patch = <K extends keyof Settings>(k: K, v: Settings[K]) => setS((prev) => ({ ...prev, [k]: v }));
  const policy = (k: keyof Settings['passwordPolicy'], v: number | boolean) => setS((prev) => ({ ...prev, passwordPolicy: { ...prev.passwordPolicy, [k]: v } }));
  const smtp = (k: keyof Settings['smtp'], v: string | number | boolean) => setS((prev) => ({ ...prev, smtp: { ...prev.smtp, [k]: v } }));

  const save = (e: FormEvent) => {
    e.preventDefault();
    const { passwordSet: _set, ...smtpRest } = s.smtp;
    const input = {
      registration: s.registration, passwordPolicy: s.passwordPolicy, accessTokenTtlSeconds: s.accessTokenTtlSeconds,
      refreshTokenTtlSeconds: s.refreshTokenTtlSeconds, require2fa: s.require2fa, requireEmailVerification: s.requireEmailVerification,
      metricsPublic: s.metricsPublic, ...(s.publicUrl ? { publicUrl: s.publicUrl } : {}),
      smtp: { ...smtpRest, ...(smtpPassword ? { password: smtpPassword } : {}) },
    };
    const parsed = routes['settings.update'].body!.safeParse(input);
    setErrors(zodFieldErrors(parsed));
    if (!parsed.success) return;
    update.mutate({ body: parsed.data }, {
      onSuccess: () => {
        setSmtpPassword('');
        notifications.show({ color: 'green', message: 'Settings saved' });
      },
    });
  };
  const sendTest = () => testEmail.mutate({ body: { to: testTo.trim() } }, {
    onSuccess: () => notifications.show({ color: 'green', message: `Test email sent to ${testTo.trim()}` }),
  });

  return (
    <form onSubmit={save} noValidate>
      <Stack>
        {readOnly ? <Alert color="gray">You can see the settings; changing them needs the settings:write permission.</Alert> : null}
        <SimpleGrid cols={{ base: 1, lg: 2 }}>
          <Section title="Sign-up and sign-in">
            <Select label="Registration" data={[{ value: 'open', label: 'Open: anyone can create an account' }, { value: 'invite', label: 'Invite: only with an invitation link' }, { value: 'closed', label: 'Closed: administrators create accounts' }]}
              value={s.registration} onChange={(v) => v && patch('registration', v as Settings['registration'])} allowDeselect={false} disabled={readOnly} />
            <Switch label="Require email verification before sign-in" checked={s.requireEmailVerification} onChange={(e) => patch('requireEmailVerification', e.currentTarget.checked)} disabled={readOnly} />
            <Switch label="Require two-factor authentication for everyone" checked={s.require2fa} onChange={(e) => patch('require2fa', e.currentTarget.checked)} disabled={readOnly} />
            <TextInput label="Public URL" description="Used in links in emails" value={s.publicUrl} onChange={(e) => patch('publicUrl', e.currentTarget.value)} error={errors.publicUrl} disabled={readOnly} />
            <Switch label="Allow scraping /metrics without a token" checked={s.metricsPublic} onChange={(e) => patch('metricsPublic', e.currentTarget.checked)} disabled={readOnly} />
          </Section>
          <Section title="Password policy">
            <NumberInput label="Minimum length" min={8} max={128} value={s.passwordPolicy.minLength} onChange={(v) => policy('minLength', Number(v))} error={errors['passwordPolicy.minLength']} disabled={readOnly} />
            <Switch label="Require upper- and lower-case letters" checked={s.passwordPolicy.requireMixedCase} onChange={(e) => policy('requireMixedCase', e.currentTarget.checked)} disabled={readOnly} />
            <Switch label="Require a digit" checked={s.passwordPolicy.requireDigit} onChange={(e) => policy('requireDigit', e.currentTarget.checked)} disabled={readOnly} />
            <Switch label="Require a symbol" checked={s.passwordPolicy.requireSymbol} onChange={(e) => policy('requireSymbol', e.currentTarget.checked)} disabled={readOnly} />
          </Section>
          <Section title="Token lifetimes">
            <NumberInput label="Access token lifetime (seconds)" description={human(s.accessTokenTtlSeconds)} min={60} max={86_400} value={s.accessTokenTtlSeconds} onChange={(v) => patch('accessTokenTtlSeconds', Number(v))} error={errors.accessTokenTtlSeconds} disabled={readOnly} />
            <NumberInput label="Session lifetime (seconds)" description={`Refresh token: ${human(s.refreshTokenTtlSeconds)}`} min={300} max={90 * 86_400} value={s.refreshTokenTtlSeconds} onChange={(v) => patch('refreshTokenTtlSeconds', Number(v))} error={errors.refreshTokenTtlSeconds} disabled={readOnly} />
          </Section>
          <Section title="Email (SMTP)">
            <Group grow>
              <TextInput label="SMTP host" value={s.smtp.host} onChange={(e) => smtp('host', e.currentTarget.value)} error={errors['smtp.host']} disabled={readOnly} />
              <NumberInput label="SMTP port" min={1} max={65535} value={s.smtp.port} onChange={(v) => smtp('port', Number(v))} error={errors['smtp.port']} disabled={readOnly} />
            </Group>
            <Switch label="Use TLS from the start (port 465)" checked={s.smtp.secure} onChange={(e) => smtp('secure', e.currentTarget.checked)} disabled={readOnly} />
            <Group grow>
              <TextInput label="SMTP user" value={s.smtp.user} onChange={(e) => smtp('user', e.currentTarget.value)} disabled={readOnly} autoComplete="off" />
              <PasswordInput label="SMTP password" placeholder={s.smtp.passwordSet ? 'Saved; type to replace' : 'Not set'} value={smtpPassword} onChange={(e) => setSmtpPassword(e.currentTarget.value)} disabled={readOnly} autoComplete="new-password" />
            </Group>
            <TextInput label="From address" value={s.smtp.from} onChange={(e) => smtp('from', e.currentTarget.value)} error={errors['smtp.from']} disabled={readOnly} />
            <Group align="flex-end">
              <TextInput label="Send a test email to" type="email" value={testTo} onChange={(e) => setTestTo(e.currentTarget.value)} style={{ flex: 1 }} />
              <PermissionButton permission="settings:write" variant="light" loading={testEmail.isPending} onClick={sendTest}
                disabledReason={testTo.includes('@') ? null : 'Enter an address first'}>
                Send test email
              </PermissionButton>
            </Group>
            <Text size="xs" c="dimmed">The test uses the saved settings: save changes first.</Text>
            <ErrorAlert error={testEmail.error} title="The test email was not sent" />
          </Section>
        </SimpleGrid>
        <ErrorAlert error={update.error} title="Could not save the settings" />
        <Group justify="flex-end">
          <Button variant="default" onClick={() => { setS(settings); setSmtpPassword(''); setErrors({}); }} disabled={readOnly}>Discard changes</Button>
          <PermissionButton permission="settings:write" type="submit" loading={update.isPending}>Save settings</PermissionButton>
        </Group>
      </Stack>
    </form>
  );
}

/** System settings. */
export default function SettingsPage() {
  const settings = useSettings();
  return (
    <Stack>
      <PageHeader title="Settings" description="System-wide settings. Changes are audited." />
      <QueryState query={settings}>{(data) => <SettingsForm settings={data} />}</QueryState>
    </Stack>
  );
}
