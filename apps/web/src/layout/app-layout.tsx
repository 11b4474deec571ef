import { AppShell, Badge, Box, Burger, Group, NavLink, Stack, Text } from '@mantine/core';
import { useDisclosure, useMediaQuery } from '@mantine/hooks';
import { Activity, FolderKanban, KeyRound, LayoutDashboard, UserRound, Users } from 'lucide-react';
import type { ReactNode } from 'react';
import { useEffect } from 'react';
import { NavLink as RouterNavLink, Outlet, useLocation } from 'react-router';
import { useCurrentUser } from '../auth/auth.hooks';
import { Brand } from './brand';
import { UserMenu } from './user-menu';

interface NavItem {
  to: string;
  label: string;
  icon: ReactNode;
}

function NavSection({ title, items }: { title: string; items: NavItem[] }) {
  const location = useLocation();
  return (
    <Stack gap={2}>
      <Text className="recon-nav-section" mb={4} component="h2">
        {title}
      </Text>
      {items.map((item) => (
        <NavLink
          key={item.to}
          component={RouterNavLink}
          to={item.to}
          label={item.label}
          leftSection={item.icon}
          active={location.pathname === item.to || location.pathname.startsWith(`${item.to}/`)}
          variant="light"
          style={{ borderRadius: 'var(--mantine-radius-md)' }}
          fw={500}
        />
      ))}
    </Stack>
  );
}

/** The signed-in frame: header with the account menu, a navigation rail (a drawer on phones), the page. */
export function AppLayout() {
  const user = useCurrentUser();
  const [opened, { toggle, close }] = useDisclosure(false);
  const location = useLocation();
  const isPhone = useMediaQuery('(max-width: 48em)');

  // On phones the navigation is an overlay; close it once the person has picked a page.
  useEffect(close, [location.pathname, close]);

  return (
    <AppShell
      header={{ height: 56 }}
      navbar={{ width: 232, breakpoint: 'sm', collapsed: { mobile: !opened } }}
      padding={{ base: 'md', md: 'xl' }}
    >
      <AppShell.Header>
        <a href="#main-content" className="recon-skip-link">
          Skip to content
        </a>
        <Group h="100%" px="md" justify="space-between" wrap="nowrap">
          <Group gap="sm" wrap="nowrap">
            <Burger
              opened={opened}
              onClick={toggle}
              hiddenFrom="sm"
              size="sm"
              aria-label="Toggle navigation"
            />
            <Brand />
          </Group>
          <Group gap="md" wrap="nowrap">
            {user.role === 'admin' && (
              <Badge variant="light" color="gray" radius="sm" visibleFrom="sm">
                Admin
              </Badge>
            )}
            <UserMenu />
          </Group>
        </Group>
      </AppShell.Header>

      <AppShell.Navbar p="sm" aria-label="Main navigation" inert={isPhone && !opened}>
        <AppShell.Section grow style={{ overflowY: 'auto' }}>
          <Stack gap="lg" pt="xs">
            <NavSection
              title="Workspace"
              items={[
                { to: '/dashboard', label: 'Dashboard', icon: <LayoutDashboard size={18} aria-hidden /> },
                { to: '/projects', label: 'Projects', icon: <FolderKanban size={18} aria-hidden /> },
              ]}
            />
            <NavSection
              title="Account"
              items={[
                { to: '/profile', label: 'Profile', icon: <UserRound size={18} aria-hidden /> },
                { to: '/api-keys', label: 'API keys', icon: <KeyRound size={18} aria-hidden /> },
              ]}
            />
            {user.role === 'admin' && (
              <NavSection
                title="Administration"
                items={[
                  { to: '/admin/users', label: 'Users', icon: <Users size={18} aria-hidden /> },
                  { to: '/admin/system', label: 'System', icon: <Activity size={18} aria-hidden /> },
                ]}
              />
            )}
          </Stack>
        </AppShell.Section>
        <AppShell.Section>
          <Text size="xs" c="dimmed" px="sm" py="xs">
            Signed in as <strong>{user.email}</strong>
          </Text>
        </AppShell.Section>
      </AppShell.Navbar>

      <AppShell.Main>
        <Box maw={1200} mx="auto" id="main-content" tabIndex={-1} style={{ outline: 'none' }}>
          <Outlet />
        </Box>
      </AppShell.Main>
    </AppShell>
  );
}
