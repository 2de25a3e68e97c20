import { Anchor, Box, Center, Group, Paper, Stack, Text, Title } from '@mantine/core';
import { Suspense } from 'react';
import { Link, Outlet } from 'react-router';
import { PageLoader } from './PageLoader';
import { ThemeToggle } from './ThemeToggle';

/** The frame of the sign-in screens: a card in the middle. */
export function PublicLayout() {
  return (
    <Box mih="100vh" p="md">
      <Group justify="flex-end">
        <ThemeToggle />
      </Group>
      <Center>
        <Stack w="100%" maw={440} mt="xl">
          <Anchor component={Link} to="/login" underline="never" ta="center">
            <Title order={1} size="h2">NovaCron</Title>
          </Anchor>
          <Paper withBorder shadow="sm" p="lg" radius="md">
            <Suspense fallback={<PageLoader />}>
              <Outlet />
            </Suspense>
          </Paper>
          <Text size="xs" c="dimmed" ta="center">Open-source virtualization management</Text>
        </Stack>
      </Center>
    </Box>
  );
}
