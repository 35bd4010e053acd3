import {
  AppShell,
  Avatar,
  Badge,
  Box,
  Burger,
  Divider,
  Group,
  Menu,
  NavLink,
  ScrollArea,
  Stack,
  Text,
  Tooltip,
  UnstyledButton,
} from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { notifications } from '@mantine/notifications';
import {
  IconBuildingCommunity,
  IconCalendarEvent,
  IconChevronDown,
  IconClockEdit,
  IconFileCertificate,
  IconFileDescription,
  IconHome,
  IconKey,
  IconLayoutList,
  IconListDetails,
  IconLogout,
  IconNetwork,
  IconSchema,
  IconServer,
  IconSitemap,
  IconUsers,
  IconWorld,
  IconWorldWww,
} from '@tabler/icons-react';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { Link, Outlet, useNavigate, useRouterState } from '@tanstack/react-router';
import { Suspense } from 'react';
import { useTranslation } from 'react-i18next';
import { authApi } from '../api/endpoints.ts';
import { isRegistryReader } from '../api/registry.ts';
import type { Me } from '../api/types.ts';
import { Emblem } from '../components/Emblem.tsx';
import { LanguageSwitcher } from '../components/LanguageSwitcher.tsx';
import { initials } from '../lib/names.ts';
import { hasRole, useMe } from '../session.ts';
import { ChangePasswordModal } from './ChangePasswordModal.tsx';
import { countsQuery, isMissingRoute } from './cases/queries.ts';
import { NotificationBell } from './NotificationBell.tsx';

function UserMenu({ me, onChangePassword }: { me: Me; onChangePassword: () => void }) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const roleNames = me.roles.map((role) => t(`roles.${role}`)).join(', ');

  async function signOut() {
    try {
      await authApi.logout();
    } catch {
      // The cookie may already be gone; signing out locally is what matters.
    }
    queryClient.clear();
    notifications.show({ color: 'teal', message: t('userMenu.signedOut') });
    await navigate({ to: '/masuk', search: { next: undefined } });
  }

  return (
    <Menu position="bottom-end" width={280} shadow="lg" withinPortal>
      <Menu.Target>
        <UnstyledButton
          // Starts with the visible name and roles (WCAG 2.5.3), then says what the button is.
          aria-label={`${me.fullName}, ${roleNames}, ${t('userMenu.label')}`}
          data-testid="user-menu"
          style={{ color: 'inherit' }}
        >
          <Group gap="sm" wrap="nowrap">
            {/* The initials are drawn by CSS, so that the button's visible text is the name and roles that
                its accessible name starts with (WCAG 2.5.3); dark on gold for contrast. */}
            <Avatar color="gold" variant="filled" autoContrast radius="xl" size={36} aria-hidden>
              <span className="user-avatar-initials" data-initials={initials(me.fullName)} />
            </Avatar>
            <Box visibleFrom="sm" style={{ maxWidth: 240, minWidth: 0 }}>
              <Text size="sm" fw={600} c="white" truncate>
                {me.fullName}
              </Text>{' '}
              <Text size="xs" c="rgba(255,255,255,0.72)" truncate>
                {roleNames}
              </Text>
            </Box>
            <IconChevronDown size={16} style={{ opacity: 0.8 }} />
          </Group>
        </UnstyledButton>
      </Menu.Target>
      <Menu.Dropdown>
        <Box px="sm" py="xs">
          <Text size="sm" fw={600}>
            {me.fullName}
          </Text>
          <Text size="xs" c="dimmed">
            @{me.username}
          </Text>
          <Text size="xs" c="dimmed" mt={4}>
            {roleNames}
          </Text>
        </Box>
        <Menu.Divider />
        <Menu.Item leftSection={<IconKey size={16} />} onClick={onChangePassword}>
          {t('userMenu.changePassword')}
        </Menu.Item>
        <Menu.Item color="red" leftSection={<IconLogout size={16} />} onClick={() => void signOut()}>
          {t('userMenu.signOut')}
        </Menu.Item>
      </Menu.Dropdown>
    </Menu>
  );
}

type NavItem = {
  to:
    | '/'
    | '/permohonan'
    | '/pengguna'
    | '/opd'
    | '/unit-kerja'
    | '/hari-libur'
    | '/waktu-baku-sop'
    | '/pengaturan-dokumen'
    | '/log-audit'
    | '/layanan'
    | '/admin/layanan'
    | '/registri/website'
    | '/registri/server'
    | '/registri/pool-ip'
    | '/registri/zona-dns';
  label: string;
  icon: typeof IconHome;
  badges?: React.ReactNode;
};

/** The request menu's badges: what waits for me, and (in red) what is overdue. */
function CaseBadges() {
  const { t } = useTranslation();
  const counts = useQuery(countsQuery);
  if (!counts.data || (counts.isError && isMissingRoute(counts.error))) return null;
  const { inbox, overdue } = counts.data;
  if (!inbox && !overdue) return null;
  return (
    <span className="nav-badges" data-testid="case-counts">
      {inbox ? (
        <Tooltip label={t('cases.menuInbox', { count: inbox })} withArrow>
          <Badge size="sm" variant="light" color="loket" aria-label={t('cases.menuInbox', { count: inbox })}>
            {inbox}
          </Badge>
        </Tooltip>
      ) : null}
      {overdue ? (
        <Tooltip label={t('cases.menuOverdue', { count: overdue })} withArrow>
          <Badge
            size="sm"
            variant="filled"
            color="red"
            aria-label={t('cases.menuOverdue', { count: overdue })}
          >
            {overdue}
          </Badge>
        </Tooltip>
      ) : null}
    </span>
  );
}

export function AppLayout() {
  const { t } = useTranslation();
  const me = useMe();
  const [navOpened, nav] = useDisclosure(false);
  const [passwordOpened, password] = useDisclosure(false);
  const pathname = useRouterState({ select: (state) => state.location.pathname });
  const isAdmin = hasRole(me, 'admin');
  const isRegistryStaff = isRegistryReader(me);

  // The registry: DKISP staff keep all of it; an OPD user sees its own websites only.
  const registryItems: NavItem[] = [
    { to: '/registri/website', label: t('registry.nav.websites'), icon: IconWorldWww },
    { to: '/registri/server', label: t('registry.nav.servers'), icon: IconServer },
    { to: '/registri/pool-ip', label: t('registry.nav.pools'), icon: IconNetwork },
    { to: '/registri/zona-dns', label: t('registry.nav.zones'), icon: IconWorld },
  ];

  const adminItems: NavItem[] = [
    { to: '/pengguna', label: t('nav.users'), icon: IconUsers },
    { to: '/opd', label: t('nav.opds'), icon: IconBuildingCommunity },
    { to: '/unit-kerja', label: t('nav.units'), icon: IconSitemap },
    { to: '/hari-libur', label: t('nav.holidays'), icon: IconCalendarEvent },
    { to: '/waktu-baku-sop', label: t('nav.sopTimes'), icon: IconClockEdit },
    { to: '/admin/layanan', label: t('services.nav.designer'), icon: IconSchema },
    { to: '/pengaturan-dokumen', label: t('nav.documentSettings'), icon: IconFileCertificate },
    { to: '/log-audit', label: t('nav.audit'), icon: IconListDetails },
  ];

  const renderItem = (item: NavItem) => (
    <NavLink
      key={item.to}
      component={Link}
      to={item.to}
      label={item.label}
      leftSection={<item.icon size={20} stroke={1.6} />}
      rightSection={item.badges}
      active={item.to === '/' ? pathname === '/' : pathname.startsWith(item.to)}
      onClick={nav.close}
      variant="light"
      style={{ borderRadius: 'var(--mantine-radius-md)' }}
      fw={500}
    />
  );

  const org = me.opd ?? me.unit;

  return (
    <AppShell
      header={{ height: 64 }}
      navbar={{ width: 264, breakpoint: 'sm', collapsed: { mobile: !navOpened } }}
      padding={{ base: 'sm', sm: 'lg' }}
    >
      <a className="skip-link" href="#main">
        {t('app.skipToContent')}
      </a>
      <AppShell.Header className="app-header" withBorder={false}>
        <Group h="100%" px={{ base: 'sm', sm: 'lg' }} justify="space-between" wrap="nowrap" gap="sm">
          <Group gap="sm" wrap="nowrap" style={{ minWidth: 0 }}>
            <Burger
              opened={navOpened}
              onClick={nav.toggle}
              hiddenFrom="sm"
              size="sm"
              color="white"
              aria-label={t('nav.toggle')}
            />
            <Link
              to="/"
              style={{ color: 'inherit', textDecoration: 'none' }}
              // The visible brand first (WCAG 2.5.3), then where it leads.
              aria-label={`${t('app.name')} ${t('app.subtitle')}, ${t('nav.home')}`}
            >
              <Group gap={10} wrap="nowrap">
                <Emblem size={36} />
                <div>
                  <Text fw={800} fz={20} lh={1.05} c="white" style={{ letterSpacing: '-0.01em' }}>
                    {t('app.name')}
                  </Text>{' '}
                  <Text fz={11} className="app-brand-subtitle" fw={500} visibleFrom="xs">
                    {t('app.subtitle')}
                  </Text>
                </div>
              </Group>
            </Link>
          </Group>
          <Group gap="sm" wrap="nowrap">
            <LanguageSwitcher inverted />
            <NotificationBell />
            <UserMenu me={me} onChangePassword={password.open} />
          </Group>
        </Group>
      </AppShell.Header>

      <AppShell.Navbar className="app-navbar" p="sm" aria-label={t('nav.main')}>
        <AppShell.Section grow component={ScrollArea}>
          <Stack gap={4}>
            {renderItem({ to: '/', label: t('nav.home'), icon: IconHome })}
            {renderItem({
              to: '/permohonan',
              label: t('nav.cases'),
              icon: IconFileDescription,
              badges: <CaseBadges />,
            })}
            {renderItem({ to: '/layanan', label: t('services.nav.catalogue'), icon: IconLayoutList })}
            {isRegistryStaff ? (
              <>
                <Text size="xs" c="dimmed" fw={700} className="nav-section-label" px="sm" mt="md" mb={4}>
                  {t('registry.nav.group')}
                </Text>
                {registryItems.map(renderItem)}
              </>
            ) : (
              renderItem({ to: '/registri/website', label: t('registry.ourWebsites'), icon: IconWorldWww })
            )}
            {isAdmin ? (
              <>
                <Text size="xs" c="dimmed" fw={700} className="nav-section-label" px="sm" mt="md" mb={4}>
                  {t('nav.admin')}
                </Text>
                {adminItems.map(renderItem)}
              </>
            ) : null}
          </Stack>
        </AppShell.Section>
        <AppShell.Section>
          <Divider mb="sm" />
          {org ? (
            <Box px="sm" mb="xs">
              <Text size="xs" c="dimmed">
                {me.opd ? t('users.opd') : t('users.unit')}
              </Text>
              <Text size="sm" fw={500} lineClamp={2}>
                {org.name}
              </Text>
            </Box>
          ) : null}
          <Text size="xs" c="dimmed" px="sm">
            {t('nav.footer')}
          </Text>
        </AppShell.Section>
      </AppShell.Navbar>

      <AppShell.Main className="app-main" id="main">
        <Box maw={1280} mx="auto">
          <Suspense fallback={null}>
            <Outlet />
          </Suspense>
        </Box>
      </AppShell.Main>

      <ChangePasswordModal opened={passwordOpened} onClose={password.close} />
    </AppShell>
  );
}
