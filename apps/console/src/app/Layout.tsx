import { AppShell, Burger, Button, Group, NavLink, Stack, Text, Title } from '@mantine/core';
import { useDisclosure, useMediaQuery } from '@mantine/hooks';
import { IconApi, IconBuilding, IconBox, IconRobot, IconUsers } from '@tabler/icons-react';
import { useQuery } from '@tanstack/react-query';
import { lazy, Suspense, useState } from 'react';
import { NavLink as RouterNavLink, Outlet } from 'react-router';
import { whoamiQuery } from '../features/session/api';
import { SignOutButton } from '../features/session/SignOutButton';
import { OrgIndicator } from '../features/organization/components/OrgIndicator';
import { ColorSchemeToggle } from './ColorSchemeToggle';
import { LazyNotifications } from './LazyNotifications';
import { NavigationProgress } from './NavigationProgress';
import { MAIN_ID, mainTargetClass, SkipLink } from './SkipLink';

// Loaded when first opened: its form and its checks are not part of any page.
const ChangePasswordDialog = lazy(() => import('../features/session/ChangePasswordDialog').then((m) => ({ default: m.ChangePasswordDialog })));

const NAV = [
  { to: '/org', label: 'Organization', icon: IconBuilding, instanceOwnerOnly: false },
  { to: '/service-users', label: 'Service Users', icon: IconRobot, instanceOwnerOnly: false },
  { to: '/projects', label: 'Projects', icon: IconBox, instanceOwnerOnly: false },
  { to: '/operators', label: 'Operators', icon: IconUsers, instanceOwnerOnly: true },
  { to: '/api-reference', label: 'API reference', icon: IconApi, instanceOwnerOnly: false },
];

/** Below this width the navigation folds away behind a burger, and the account controls move into it. */
const BREAKPOINT = 'sm';
const NARROW_QUERY = '(max-width: 47.99em)';

export function Layout() {
  const { data: me } = useQuery(whoamiQuery);
  const [changingPassword, setChangingPassword] = useState(false);
  // Kept once opened, so closing plays the dialog's transition.
  const [passwordDialogLoaded, setPasswordDialogLoaded] = useState(false);
  const [navOpened, nav] = useDisclosure(false);
  const narrow = useMediaQuery(NARROW_QUERY, false, { getInitialValueInEffect: false });
  const folded = narrow && !navOpened;
  const account = (
    <>
      <Text size="sm" aria-label="Signed in as">
        {me?.displayName} ({me?.userName})
      </Text>
      <Button
        variant="subtle"
        size="xs"
        onClick={() => {
          setPasswordDialogLoaded(true);
          setChangingPassword(true);
        }}
      >
        Change password
      </Button>
    </>
  );
  return (
    <AppShell header={{ height: 56 }} navbar={{ width: 220, breakpoint: BREAKPOINT, collapsed: { mobile: !navOpened } }} padding={{ base: 'sm', sm: 'lg' }}>
      <SkipLink />
      <AppShell.Header>
        <Group h="100%" px="md" justify="space-between" wrap="nowrap">
          <Group gap="md" wrap="nowrap">
            <Burger
              opened={navOpened}
              onClick={nav.toggle}
              hiddenFrom={BREAKPOINT}
              size="sm"
              aria-label={navOpened ? 'Close navigation' : 'Open navigation'}
              aria-expanded={navOpened}
              aria-controls="main-navigation"
            />
            <Title order={2} size="h4">
              Tessera
            </Title>
            <NavigationProgress />
            {!narrow && <OrgIndicator />}
          </Group>
          <Group gap="sm" wrap="nowrap">
            {!narrow && account}
            <SignOutButton size="xs" />
            <ColorSchemeToggle />
          </Group>
        </Group>
      </AppShell.Header>
      {/* Folded off-screen on a phone: hidden from Tab and screen readers too, not just moved aside. */}
      <AppShell.Navbar component="div" p="xs" id="main-navigation" style={folded ? { visibility: 'hidden' } : undefined}>
        <AppShell.Section grow component="nav" aria-label="Main">
          {NAV.filter((n) => !n.instanceOwnerOnly || me?.instanceOwner).map(({ to, label, icon: Icon }) => (
            <NavLink key={to} component={RouterNavLink} to={to} label={label} leftSection={<Icon size={18} aria-hidden />} onClick={nav.close} />
          ))}
        </AppShell.Section>
        {narrow && (
          <AppShell.Section>
            <Stack gap="xs" align="flex-start" p="xs">
              <OrgIndicator />
              {account}
            </Stack>
          </AppShell.Section>
        )}
      </AppShell.Navbar>
      <AppShell.Main id={MAIN_ID} tabIndex={-1} className={mainTargetClass}>
        <Outlet />
      </AppShell.Main>
      {passwordDialogLoaded && (
        <Suspense fallback={null}>
          <ChangePasswordDialog opened={changingPassword} onClose={() => setChangingPassword(false)} />
        </Suspense>
      )}
      {/* Here rather than around the whole console: the sign-in page shows none. */}
      <LazyNotifications />
    </AppShell>
  );
}
