/**
 * `/admin/layanan`: the administrator's list of services — version, retired or not — with the way to open one
 * in the SOP designer, start a new one, retire or reactivate one, export its definition as JSON, and
 * import a JSON definition into the designer (published only from there, after the server's checks).
 */
import {
  ActionIcon,
  Badge,
  Button,
  FileButton,
  Group,
  Menu,
  Paper,
  Skeleton,
  Stack,
  Text,
} from '@mantine/core';
import { notifications } from '@mantine/notifications';
import {
  IconDotsVertical,
  IconDownload,
  IconEdit,
  IconPlayerPlay,
  IconPlayerStop,
  IconPlus,
  IconUpload,
} from '@tabler/icons-react';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { Link, useNavigate } from '@tanstack/react-router';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { localized } from '../../components/CaseBits.tsx';
import { ConfirmDialog } from '../../components/ConfirmDialog.tsx';
import { PageHeader } from '../../components/PageHeader.tsx';
import { QueryError } from '../../components/QueryError.tsx';
import { errorMessage } from '../../lib/errors.ts';
import { type CatalogueService, catalogueQueryKey, servicesApi } from './api.ts';
import { IMPORT_STORAGE_KEY } from './DesignerPage.tsx';
import { parseImported } from './designerModel.ts';
import { downloadJson } from './format.ts';

export function DesignerListPage() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const query = useQuery({
    queryKey: [...catalogueQueryKey, 'admin'],
    queryFn: () => servicesApi.catalogue({ includeRetired: true }),
  });
  const [toggle, setToggle] = useState<CatalogueService | null>(null);
  const [busy, setBusy] = useState(false);

  const exportOne = async (service: CatalogueService) => {
    try {
      const def = await servicesApi.definition(service.key);
      downloadJson(`sop-${service.key}-v${def.version ?? service.version}.json`, def);
    } catch (error) {
      notifications.show({ color: 'red', title: t('errors.title'), message: errorMessage(error) });
    }
  };

  const importFile = async (file: File | null) => {
    if (!file) return;
    const parsed = parseImported(await file.text());
    if (typeof parsed === 'string') {
      notifications.show({
        color: 'red',
        message: t(parsed === 'json' ? 'designer.import.json' : 'designer.import.shape'),
      });
      return;
    }
    // The designer opens it as a new version of that key (the server says whether it is current).
    const existing = query.data?.find((service) => service.key === parsed.key);
    const draft = { ...parsed };
    if (existing) draft.version = existing.version;
    else delete draft.version;
    sessionStorage.setItem(IMPORT_STORAGE_KEY, JSON.stringify(draft));
    notifications.show({ color: 'teal', message: t('designer.import.opened', { key: parsed.key }) });
    await navigate({ to: '/admin/layanan/baru' });
  };

  const doToggle = async () => {
    if (!toggle) return;
    setBusy(true);
    try {
      if (toggle.retired) await servicesApi.reactivate(toggle.key);
      else await servicesApi.retire(toggle.key);
      notifications.show({
        color: 'teal',
        message: t(toggle.retired ? 'designer.reactivated' : 'designer.retired', {
          title: localized(toggle.title),
        }),
      });
      await queryClient.invalidateQueries({ queryKey: ['services'] });
      setToggle(null);
    } catch (error) {
      notifications.show({ color: 'red', title: t('errors.title'), message: errorMessage(error) });
    } finally {
      setBusy(false);
    }
  };

  return (
    <>
      <PageHeader
        title={t('designer.listTitle')}
        subtitle={t('designer.listSubtitle')}
        actions={
          <>
            <FileButton onChange={(file) => void importFile(file)} accept="application/json,.json">
              {(props) => (
                <Button variant="default" leftSection={<IconUpload size={18} />} {...props}>
                  {t('designer.importJson')}
                </Button>
              )}
            </FileButton>
            <Button component={Link} to="/admin/layanan/baru" leftSection={<IconPlus size={18} />}>
              {t('designer.newService')}
            </Button>
          </>
        }
      />
      {query.isError ? (
        <QueryError error={query.error} onRetry={() => void query.refetch()} />
      ) : !query.data ? (
        <Skeleton height={240} radius="md" />
      ) : (
        <Stack gap="sm" maw={980}>
          {query.data.map((service) => (
            <Paper
              key={service.key}
              withBorder
              p="md"
              shadow="xs"
              data-testid={`designer-service-${service.key}`}
            >
              <Group justify="space-between" wrap="nowrap" align="flex-start" gap="sm">
                <Stack gap={4} style={{ minWidth: 0 }}>
                  <Text fw={600} style={{ overflowWrap: 'anywhere' }}>
                    {localized(service.title)}
                  </Text>
                  <Group gap={6}>
                    <Badge variant="light" radius="sm" tt="none">
                      {t('services.version', { version: service.version })}
                    </Badge>
                    <Badge variant="outline" color="gray" radius="sm" tt="none" ff="monospace">
                      {service.key}
                    </Badge>
                    {service.refPrefix ? (
                      <Badge variant="outline" color="gray" radius="sm" tt="none">
                        {service.refPrefix}
                      </Badge>
                    ) : null}
                    {service.retired ? (
                      <Badge color="orange" radius="sm" tt="none">
                        {t('designer.retiredBadge')}
                      </Badge>
                    ) : null}
                  </Group>
                </Stack>
                <Group gap={4} wrap="nowrap">
                  <Button
                    component={Link}
                    to="/admin/layanan/$key"
                    params={{ key: service.key } as never}
                    size="xs"
                    variant="light"
                    leftSection={<IconEdit size={16} />}
                    data-testid={`designer-open-${service.key}`}
                  >
                    {t('common.edit')}
                  </Button>
                  <Menu position="bottom-end" withinPortal>
                    <Menu.Target>
                      <ActionIcon
                        variant="subtle"
                        aria-label={t('common.moreActions', { name: localized(service.title) })}
                      >
                        <IconDotsVertical size={18} />
                      </ActionIcon>
                    </Menu.Target>
                    <Menu.Dropdown>
                      <Menu.Item
                        leftSection={<IconDownload size={16} />}
                        onClick={() => void exportOne(service)}
                      >
                        {t('designer.exportJson')}
                      </Menu.Item>
                      <Menu.Item
                        color={service.retired ? undefined : 'red'}
                        leftSection={
                          service.retired ? <IconPlayerPlay size={16} /> : <IconPlayerStop size={16} />
                        }
                        onClick={() => setToggle(service)}
                      >
                        {service.retired ? t('designer.reactivate') : t('designer.retire')}
                      </Menu.Item>
                    </Menu.Dropdown>
                  </Menu>
                </Group>
              </Group>
            </Paper>
          ))}
        </Stack>
      )}
      <ConfirmDialog
        opened={toggle !== null}
        title={toggle?.retired ? t('designer.reactivateTitle') : t('designer.retireTitle')}
        text={
          toggle
            ? t(toggle.retired ? 'designer.reactivateText' : 'designer.retireText', {
                title: localized(toggle.title),
              })
            : ''
        }
        confirmLabel={toggle?.retired ? t('designer.reactivate') : t('designer.retire')}
        danger={!toggle?.retired}
        loading={busy}
        onConfirm={() => void doToggle()}
        onClose={() => setToggle(null)}
      />
    </>
  );
}
