import { Alert, Button, Code, CopyButton, Group, Image, List, PasswordInput, SimpleGrid, Stack, Text, TextInput } from '@mantine/core';
import { useQueryClient } from '@tanstack/react-query';
import { toDataURL } from 'qrcode';
import { useEffect, useState, type FormEvent } from 'react';
import { useTotpConfirm, useTotpDisable, useTotpEnroll } from '../../api/hooks/auth.hooks';
import { keys } from '../../api/query-keys';
import { ErrorAlert } from '../../components/ErrorAlert';
import { useAuth } from '../../context/auth-context';

function QrCode({ uri }: { uri: string }) {
  const [src, setSrc] = useState<string | null>(null);
  useEffect(() => {
    let live = true;
    toDataURL(uri, { margin: 1, width: 200 }).then((url) => live && setSrc(url), () => live && setSrc(null));
    return () => { live = false; };
  }, [uri]);
  return src ? <Image src={src} w={200} h={200} alt="QR code to scan with an authenticator app" /> : null;
}

function RecoveryCodes({ codes, onDone }: { codes: string[]; onDone: () => void }) {
  return (
    <Stack maw={520}>
      <Alert color="green" title="Two-factor authentication is on">
        Save these recovery codes somewhere safe. Each signs you in once if you lose your device. They are not shown again.
      </Alert>
      <SimpleGrid cols={2} spacing={4} component="ul" aria-label="Recovery codes" style={{ listStyle: 'none', padding: 0 }}>
        {codes.map((c) => <Code key={c} component="li">{c}</Code>)}
      </SimpleGrid>
      <Group>
        <CopyButton value={codes.join('\n')}>{({ copied, copy }) => <Button variant="light" onClick={copy}>{copied ? 'Copied' : 'Copy codes'}</Button>}</CopyButton>
        <Button onClick={onDone}>I saved them</Button>
      </Group>
    </Stack>
  );
}

/** 2FA: enrol with a QR code, confirm with a code, keep the recovery codes; or turn it off with the password. */
export function TwoFactorTab() {
  const { me } = useAuth();
  const qc = useQueryClient();
  const enroll = useTotpEnroll();
  const confirm = useTotpConfirm();
  const disable = useTotpDisable();
  const [code, setCode] = useState('');
  const [password, setPassword] = useState('');
  const [codes, setCodes] = useState<string[] | null>(null);
  if (!me) return null;

  if (codes) return <RecoveryCodes codes={codes} onDone={() => { setCodes(null); enroll.reset(); confirm.reset(); void qc.invalidateQueries({ queryKey: keys.me }); }} />;

  if (me.totpEnabled) {
    const submit = (e: FormEvent) => {
      e.preventDefault();
      disable.mutate({ body: { password } }, { onSuccess: () => setPassword('') });
    };
    return (
      <form onSubmit={submit}>
        <Stack maw={480}>
          <Alert color="green">Two-factor authentication is on for your account.</Alert>
          <Text size="sm">To turn it off, confirm your password.</Text>
          <PasswordInput label="Password" autoComplete="current-password" value={password} onChange={(e) => setPassword(e.currentTarget.value)} required />
          <ErrorAlert error={disable.error} title="Could not turn two-factor authentication off" />
          <Group><Button type="submit" color="red" variant="light" loading={disable.isPending} disabled={!password}>Turn off two-factor authentication</Button></Group>
        </Stack>
      </form>
    );
  }

  if (!enroll.data) {
    return (
      <Stack maw={520}>
        <Text size="sm">Two-factor authentication asks for a code from an authenticator app (such as a TOTP app on your phone) when you sign in.</Text>
        <ErrorAlert error={enroll.error} />
        <Group><Button loading={enroll.isPending} onClick={() => enroll.mutate({})}>Set up two-factor authentication</Button></Group>
      </Stack>
    );
  }

  const submit = (e: FormEvent) => {
    e.preventDefault();
    confirm.mutate({ body: { code: code.trim() } }, { onSuccess: (r) => { setCode(''); setCodes(r.recoveryCodes); } });
  };
  return (
    <form onSubmit={submit}>
      <Stack maw={520}>
        <List type="ordered" size="sm">
          <List.Item>Scan this QR code with your authenticator app.</List.Item>
          <List.Item>Enter the six-digit code it shows.</List.Item>
        </List>
        <QrCode uri={enroll.data.otpauthUri} />
        <Text size="sm">Cannot scan? Enter this key by hand:</Text>
        <Code aria-label="Secret key">{enroll.data.secret}</Code>
        <TextInput label="Six-digit code" inputMode="numeric" autoComplete="one-time-code" maxLength={6} value={code} onChange={(e) => setCode(e.currentTarget.value)} required />
        <ErrorAlert error={confirm.error} title="Could not turn two-factor authentication on" />
        <Group>
          <Button type="submit" loading={confirm.isPending} disabled={!/^\d{6}$/.test(code.trim())}>Turn on</Button>
          <Button variant="default" onClick={() => enroll.reset()}>Cancel</Button>
        </Group>
      </Stack>
    </form>
  );
}
