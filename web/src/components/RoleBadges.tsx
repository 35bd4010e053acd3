import { Badge, Group } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { Role } from '../api/types.ts';

export const ROLE_COLORS: Record<Role, string> = {
  opd: 'grape',
  umum: 'cyan',
  kepala: 'indigo',
  kabid: 'blue',
  subkoor: 'teal',
  staf: 'green',
  admin: 'orange',
};

export function RoleBadges({ roles, size = 'sm' }: { roles: Role[]; size?: 'xs' | 'sm' }) {
  const { t } = useTranslation();
  return (
    <Group gap={4} wrap="wrap">
      {roles.map((role) => (
        <Badge
          key={role}
          variant="light"
          color={ROLE_COLORS[role]}
          radius="sm"
          size={size === 'xs' ? 'sm' : 'md'}
          tt="none"
          fw={600}
          miw="max-content"
        >
          {t(`roles.${role}`)}
        </Badge>
      ))}
    </Group>
  );
}
