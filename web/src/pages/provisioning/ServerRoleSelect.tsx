/** A select of the registry's servers with one role (the zone's name server, a website's database server). */
import { Select, type SelectProps } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { allServersQuery, type ServerRole } from '../../api/registry.ts';

type Props = Omit<SelectProps, 'data'> & { serverRole: ServerRole; value: string | null };

/** Servers with `serverRole` that are not retired, plus the one chosen now (whatever it has become). */
export function ServerRoleSelect({ serverRole, value, ...props }: Props) {
  const { t } = useTranslation();
  const servers = useQuery(allServersQuery);
  const data = (servers.data ?? [])
    .filter((s) => (s.roles.includes(serverRole) && s.status !== 'retired') || s.id === value)
    .map((s) => ({ value: s.id, label: s.name }));
  return (
    <Select
      data={data}
      value={value}
      searchable
      clearable
      nothingFoundMessage={t('common.noResultsTitle')}
      {...props}
    />
  );
}
