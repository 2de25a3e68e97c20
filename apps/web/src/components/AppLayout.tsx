import { AppShell, Badge, Burger, Button, Group, NavLink, ScrollArea, Text, Tooltip } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { Suspense } from 'react';
import { Link, Outlet, useLocation } from 'react-router';
import { useAuth } from '../context/auth-context';
import { useEvents } from '../context/events-context';
import { hasRoute, navItems, type NavItem } from '../nav';
import { PageLoader } from './PageLoader';
import { ThemeToggle } from './ThemeToggle';

const sections: { id: NavItem['section']; label: string | null }[] = [
  { id: 'main', label: null },
  { id: 'admin', label: 'Administration' },
  { id: 'account', label: null },
];

function LiveBadge() {
  const { status } = useEvents();
  const text = status === 'live' ? 'Live' : status === 'connecting' ? 'Connecting' : 'Offline';
  const tip = status === 'live' ? 'Changes appear as they happen' : 'Not receiving live updates; reconnecting';
  return (
    <Tooltip label={tip}>
      <Badge color={status === 'live' ? 'green' : status === 'connecting' ? 'yellow' : 'gray'} variant="dot" aria-label={`Live updates: ${text}`}>
        {text}
      </Badge>
    </Tooltip>
  );
}

/** The signed-in frame: header, navbar, and the page. */
export function AppLayout() {
  const [opened, { toggle, close }] = useDisclosure();
  const { me, can, signOut } = useAuth();
  const location = useLocation();
  const visible = navItems.filter((i) => hasRoute(i.route) && (!i.permission || can(i.permission)));
  const isActive = (to: string) => (to === '/' ? location.pathname === '/' : location.pathname.startsWith(to));

  return (
    <AppShell header={{ height: 56 }} navbar={{ width: 230, breakpoint: 'sm', collapsed: { mobile: !opened } }} padding="md">
      <AppShell.Header>
        <Group h="100%" px="md" justify="space-between" wrap="nowrap">
          <Group gap="sm" wrap="nowrap">
            <Burger opened={opened} onClick={toggle} hiddenFrom="sm" size="sm" aria-label="Toggle navigation" />
            <Text fw={700} component={Link} to="/">NovaCron</Text>
            <LiveBadge />
          </Group>
          <Group gap="xs" wrap="nowrap">
            <Text size="sm" visibleFrom="sm" c="dimmed">{me?.email}</Text>
            <ThemeToggle />
            <Button variant="default" onClick={() => void signOut()}>Sign out</Button>
          </Group>
        </Group>
      </AppShell.Header>
      <AppShell.Navbar p="xs" aria-label="Main navigation">
        <ScrollArea>
          {sections.map((section) => {
            const items = visible.filter((i) => i.section === section.id);
            if (!items.length) return null;
            return (
              <div key={section.id}>
                {section.label ? <Text size="xs" fw={700} c="dimmed" tt="uppercase" px="sm" mt="md" mb={4}>{section.label}</Text> : null}
                {items.map((item) => (
                  <NavLink key={item.to} component={Link} to={item.to} label={item.label} active={isActive(item.to)} onClick={close} />
                ))}
              </div>
            );
          })}
        </ScrollArea>
      </AppShell.Navbar>
      <AppShell.Main>
        <Suspense fallback={<PageLoader />}>
          <Outlet />
        </Suspense>
      </AppShell.Main>
    </AppShell>
  );
}
