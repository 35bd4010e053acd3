import {
  Anchor,
  Badge,
  Box,
  Card,
  Group,
  Paper,
  SimpleGrid,
  Stack,
  Text,
  ThemeIcon,
  Title,
} from '@mantine/core';
import {
  IconBuildingCommunity,
  IconCalendarEvent,
  IconChevronRight,
  IconFileCertificate,
  IconListDetails,
  IconSitemap,
  IconUsers,
} from '@tabler/icons-react';
import { Link } from '@tanstack/react-router';
import { useTranslation } from 'react-i18next';
import type { Role } from '../api/types.ts';
import { BannerArt } from '../components/BannerArt.tsx';
import { ROLE_COLORS } from '../components/RoleBadges.tsx';
import { formatLongDate, jakartaHour } from '../lib/format.ts';
import { greetingName } from '../lib/names.ts';
import { hasRole, useMe } from '../session.ts';
import { HomeRequests } from './HomeRequests.tsx';

function greetingKey(hour: number) {
  if (hour < 11) return 'home.morning' as const;
  if (hour < 15) return 'home.afternoon' as const;
  if (hour < 18) return 'home.evening' as const;
  return 'home.night' as const;
}

function ProfileRow({ label, value }: { label: string; value: string | null | undefined }) {
  const { t } = useTranslation();
  return (
    <Group justify="space-between" gap="sm" wrap="nowrap" align="flex-start">
      <Text size="sm" c="dimmed" style={{ flexShrink: 0 }}>
        {label}
      </Text>
      <Text size="sm" fw={500} ta="right" style={{ minWidth: 0, overflowWrap: 'anywhere' }}>
        {value || t('common.none')}
      </Text>
    </Group>
  );
}

export function HomePage() {
  const { t } = useTranslation();
  const me = useMe();
  const now = new Date();
  const firstName = greetingName(me.fullName);

  const shortcuts = [
    { to: '/pengguna', label: t('nav.users'), text: t('home.adminUsers'), icon: IconUsers },
    { to: '/opd', label: t('nav.opds'), text: t('home.adminOpds'), icon: IconBuildingCommunity },
    { to: '/unit-kerja', label: t('nav.units'), text: t('home.adminUnits'), icon: IconSitemap },
    { to: '/hari-libur', label: t('nav.holidays'), text: t('home.adminHolidays'), icon: IconCalendarEvent },
    {
      to: '/pengaturan-dokumen',
      label: t('nav.documentSettings'),
      text: t('home.adminDocuments'),
      icon: IconFileCertificate,
    },
    { to: '/log-audit', label: t('nav.audit'), text: t('home.adminAudit'), icon: IconListDetails },
  ] as const;

  return (
    <Stack gap="lg">
      <Paper className="welcome-banner" radius="lg" p={{ base: 'lg', sm: 32 }} shadow="sm">
        <BannerArt />
        <Text size="sm" c="rgba(255,255,255,0.75)" fw={500}>
          {formatLongDate(now)}
        </Text>
        <Title order={1} c="white" fz={{ base: 24, sm: 30 }} mt={4}>
          {t(greetingKey(jakartaHour(now)), { name: firstName })}
        </Title>
        <Text c="rgba(255,255,255,0.85)" mt={6}>
          {t('home.intro')}
        </Text>
      </Paper>

      <Box
        style={{
          display: 'grid',
          gap: 'var(--mantine-spacing-lg)',
          gridTemplateColumns: 'repeat(auto-fit, minmax(min(100%, 320px), 1fr))',
          alignItems: 'start',
        }}
      >
        <Stack gap="lg" style={{ gridColumn: 'span 1' }}>
          <Paper withBorder radius="lg" p={{ base: 'md', sm: 'lg' }} shadow="xs">
            <HomeRequests />
          </Paper>

          {hasRole(me, 'admin') ? (
            <Paper withBorder radius="lg" p={{ base: 'md', sm: 'lg' }} shadow="xs">
              <Title order={2} fz="lg" mb="md">
                {t('home.adminTitle')}
              </Title>
              <SimpleGrid cols={{ base: 1, xs: 2 }} spacing="sm">
                {shortcuts.map((item) => (
                  <Anchor key={item.to} component={Link} to={item.to} underline="never" c="inherit">
                    <Card withBorder radius="md" padding="md" h="100%">
                      <Group wrap="nowrap" gap="sm">
                        <ThemeIcon variant="light" size={40} radius="md">
                          <item.icon size={22} stroke={1.6} />
                        </ThemeIcon>
                        <Box style={{ flex: 1, minWidth: 0 }}>
                          <Text fw={600} size="sm">
                            {item.label}
                          </Text>
                          <Text size="xs" c="dimmed">
                            {item.text}
                          </Text>
                        </Box>
                        <IconChevronRight size={16} color="var(--mantine-color-gray-5)" />
                      </Group>
                    </Card>
                  </Anchor>
                ))}
              </SimpleGrid>
            </Paper>
          ) : null}
        </Stack>

        <Stack gap="lg">
          <Paper withBorder radius="lg" p={{ base: 'md', sm: 'lg' }} shadow="xs">
            <Title order={2} fz="lg">
              {t('home.rolesTitle')}
            </Title>
            <Text size="sm" c="dimmed" mb="md">
              {me.roles.length ? t('home.rolesIntro') : t('home.noRoles')}
            </Text>
            <Stack gap="sm">
              {me.roles.map((role: Role) => (
                <Card
                  key={role}
                  withBorder
                  radius="md"
                  padding="sm"
                  className="role-card"
                  style={{ borderLeftColor: `var(--mantine-color-${ROLE_COLORS[role]}-6)` }}
                >
                  <Badge variant="light" color={ROLE_COLORS[role]} radius="sm" tt="none" fw={700} mb={6}>
                    {t(`roles.${role}`)}
                  </Badge>
                  <Text size="sm">{t(`roleDescriptions.${role}`)}</Text>
                </Card>
              ))}
            </Stack>
          </Paper>

          <Paper withBorder radius="lg" p={{ base: 'md', sm: 'lg' }} shadow="xs">
            <Title order={2} fz="lg" mb="md">
              {t('home.profileTitle')}
            </Title>
            <Stack gap={8}>
              <ProfileRow label={t('users.username')} value={me.username} />
              <ProfileRow label={t('users.nip')} value={me.nip} />
              <ProfileRow label={t('users.email')} value={me.email} />
              <ProfileRow label={t('users.phone')} value={me.phone} />
              {me.opd ? <ProfileRow label={t('users.opd')} value={me.opd.name} /> : null}
              {me.unit ? <ProfileRow label={t('users.unit')} value={me.unit.name} /> : null}
            </Stack>
          </Paper>
        </Stack>
      </Box>
    </Stack>
  );
}
