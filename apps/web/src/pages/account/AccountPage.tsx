import { Stack, Tabs } from '@mantine/core';
import { useSearchParams } from 'react-router';
import { PageHeader } from '../../components/PageHeader';
import { Enroll2faBanner } from '../../components/RequireAuth';
import { PasswordTab, ProfileTab } from './ProfileTab';
import { SessionsTab } from './SessionsTab';
import { TokensTab } from './TokensTab';
import { TwoFactorTab } from './TwoFactorTab';

const tabs = ['profile', 'password', 'security', 'sessions', 'tokens'] as const;

/** The signed-in user's own account. */
export default function AccountPage() {
  const [params, setParams] = useSearchParams();
  const tab = tabs.find((t) => t === params.get('tab')) ?? 'profile';
  return (
    <Stack>
      <PageHeader title="Account" description="Your profile, password, two-factor authentication, sessions and API tokens." />
      <Enroll2faBanner />
      <Tabs value={tab} onChange={(v) => setParams(v && v !== 'profile' ? { tab: v } : {}, { replace: true })} keepMounted={false}>
        <Tabs.List>
          <Tabs.Tab value="profile">Profile</Tabs.Tab>
          <Tabs.Tab value="password">Password</Tabs.Tab>
          <Tabs.Tab value="security">Two-factor authentication</Tabs.Tab>
          <Tabs.Tab value="sessions">Sessions</Tabs.Tab>
          <Tabs.Tab value="tokens">API tokens</Tabs.Tab>
        </Tabs.List>
        <Tabs.Panel value="profile" pt="md"><ProfileTab /></Tabs.Panel>
        <Tabs.Panel value="password" pt="md"><PasswordTab /></Tabs.Panel>
        <Tabs.Panel value="security" pt="md"><TwoFactorTab /></Tabs.Panel>
        <Tabs.Panel value="sessions" pt="md"><SessionsTab /></Tabs.Panel>
        <Tabs.Panel value="tokens" pt="md"><TokensTab /></Tabs.Panel>
      </Tabs>
    </Stack>
  );
}
