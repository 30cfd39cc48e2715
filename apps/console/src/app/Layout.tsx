import { AppShell, Button, Group, NavLink, Text, Title } from '@mantine/core';
import { IconApi, IconBuilding, IconRobot, IconUsers } from '@tabler/icons-react';
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { NavLink as RouterNavLink, Outlet } from 'react-router';
import { ChangePasswordDialog } from '../features/session/ChangePasswordDialog';
import { whoamiQuery } from '../features/session/api';
import { SignOutButton } from '../features/session/SignOutButton';
import { OrgIndicator } from '../features/organization/components/OrgIndicator';
import { ColorSchemeToggle } from './ColorSchemeToggle';
import { MAIN_ID, mainTargetClass, SkipLink } from './SkipLink';

const NAV = [
  { to: '/org', label: 'Organization', icon: IconBuilding, instanceOwnerOnly: false },
  { to: '/service-users', label: 'Service Users', icon: IconRobot, instanceOwnerOnly: false },
  { to: '/operators', label: 'Operators', icon: IconUsers, instanceOwnerOnly: true },
  { to: '/api-reference', label: 'API reference', icon: IconApi, instanceOwnerOnly: false },
];

export function Layout() {
  const { data: me } = useQuery(whoamiQuery);
  const [changingPassword, setChangingPassword] = useState(false);
  return (
    <AppShell header={{ height: 56 }} navbar={{ width: 220, breakpoint: 'xs' }} padding="lg">
      <SkipLink />
      <AppShell.Header>
        <Group h="100%" px="md" justify="space-between">
          <Group gap="md">
            <Title order={2} size="h4">
              Tessera
            </Title>
            <OrgIndicator />
          </Group>
          <Group gap="sm">
            <Text size="sm" aria-label="Signed in as">
              {me?.displayName} ({me?.userName})
            </Text>
            <Button variant="subtle" size="xs" onClick={() => setChangingPassword(true)}>
              Change password
            </Button>
            <SignOutButton size="xs" />
            <ColorSchemeToggle />
          </Group>
        </Group>
      </AppShell.Header>
      <AppShell.Navbar p="xs" component="nav" aria-label="Main">
        {NAV.filter((n) => !n.instanceOwnerOnly || me?.instanceOwner).map(({ to, label, icon: Icon }) => (
          <NavLink key={to} component={RouterNavLink} to={to} label={label} leftSection={<Icon size={18} aria-hidden />} />
        ))}
      </AppShell.Navbar>
      <AppShell.Main id={MAIN_ID} tabIndex={-1} className={mainTargetClass}>
        <Outlet />
      </AppShell.Main>
      <ChangePasswordDialog opened={changingPassword} onClose={() => setChangingPassword(false)} />
    </AppShell>
  );
}
