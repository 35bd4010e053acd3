/**
 * The website part of a request: for an update, one of the OPD's own websites from the registry; for a
 * new website, the address the OPD would like (a label and a zone, checked as it is typed).
 */
import {
  Alert,
  Autocomplete,
  Box,
  Button,
  Group,
  Input,
  Select,
  Skeleton,
  Stack,
  Text,
  TextInput,
} from '@mantine/core';
import { IconAlertTriangle, IconWorldPlus } from '@tabler/icons-react';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { errorMessage } from '../../lib/errors.ts';
import type { RegistryWebsite } from './registryLookups.ts';
import { NameCheckNote, type NameCheckState, WebsiteStatusBadge } from './WebsiteBits.tsx';
import { splitHostname } from './websiteRules.ts';

type WebsitePickerProps = {
  websites: RegistryWebsite[] | undefined;
  loading: boolean;
  error: unknown;
  onRetry: () => void;
  value: string | null;
  onChange: (id: string | null) => void;
  fieldError: ReactNode;
  disabled: boolean;
  /** Switches the request to a new website (offered when the OPD has none to update). */
  onChooseNew: () => void;
};

/** For an update: which of the OPD's websites (not retired), with its state in the registry. */
export function WebsitePicker({
  websites,
  loading,
  error,
  onRetry,
  value,
  onChange,
  fieldError,
  disabled,
  onChooseNew,
}: WebsitePickerProps) {
  const { t } = useTranslation();
  if (loading) return <Skeleton height={62} radius="sm" />;
  if (error || !websites) {
    return (
      <Alert
        color="red"
        variant="light"
        icon={<IconAlertTriangle size={18} />}
        title={t('newCase.websitesFailed')}
      >
        <Text size="sm">{errorMessage(error)}</Text>
        <Button size="xs" variant="light" color="red" mt="xs" onClick={onRetry}>
          {t('newCase.retry')}
        </Button>
      </Alert>
    );
  }
  if (websites.length === 0) {
    return (
      <Alert
        color="orange"
        variant="light"
        icon={<IconAlertTriangle size={18} />}
        title={t('newCase.noWebsitesTitle')}
        data-testid="no-websites"
      >
        <Stack gap="xs" align="flex-start">
          <Text size="sm">{t('newCase.noWebsites')}</Text>
          {fieldError ? (
            <Text size="sm" c="red.8" fw={500}>
              {fieldError}
            </Text>
          ) : null}
          <Button
            size="xs"
            variant="white"
            color="orange"
            leftSection={<IconWorldPlus size={16} />}
            onClick={onChooseNew}
            disabled={disabled}
          >
            {t('newCase.chooseNew')}
          </Button>
        </Stack>
      </Alert>
    );
  }
  const byId = new Map(websites.map((w) => [w.id, w]));
  const chosen = value ? byId.get(value) : undefined;
  const nameOf = (w: RegistryWebsite) => w.hostname ?? `${w.purpose} (${t('newCase.websiteNoName')})`;
  return (
    <Select
      label={t('newCase.websiteId')}
      placeholder={t('newCase.websitePlaceholder')}
      description={
        chosen ? (
          <Group gap={6} component="span" wrap="wrap">
            <WebsiteStatusBadge status={chosen.status} size="xs" />
            <Text span size="xs" c="dimmed" lineClamp={1}>
              {chosen.purpose}
            </Text>
          </Group>
        ) : (
          t('newCase.websiteHint')
        )
      }
      inputWrapperOrder={['label', 'input', 'description', 'error']}
      required
      disabled={disabled}
      data={websites.map((w) => ({ value: w.id, label: nameOf(w) }))}
      value={value}
      onChange={onChange}
      error={fieldError}
      searchable={websites.length > 6}
      nothingFoundMessage={t('action.noOptions')}
      comboboxProps={{ withinPortal: true }}
      renderOption={({ option }) => {
        const w = byId.get(option.value);
        return (
          <Group gap="xs" wrap="nowrap" justify="space-between" w="100%">
            <Box style={{ minWidth: 0 }}>
              <Text size="sm" fw={500} style={{ overflowWrap: 'anywhere' }}>
                {option.label}
              </Text>
              {w?.hostname ? (
                <Text size="xs" c="dimmed" lineClamp={1}>
                  {w.purpose}
                </Text>
              ) : null}
            </Box>
            {w ? <WebsiteStatusBadge status={w.status} size="xs" /> : null}
          </Group>
        );
      }}
    />
  );
}

type RequestedNameProps = {
  label: string;
  zone: string;
  onLabel: (label: string) => void;
  onZone: (zone: string) => void;
  /** Zones to suggest (from the OPD's own websites and what the server's check named). */
  zones: string[];
  check: NameCheckState;
  fieldError: ReactNode;
  disabled: boolean;
};

/** For a new website: the address the OPD would like, as first part + zone, checked while typing. */
export function RequestedNameField({
  label,
  zone,
  onLabel,
  onZone,
  zones,
  check,
  fieldError,
  disabled,
}: RequestedNameProps) {
  const { t } = useTranslation();
  // Both boxes show red while the name is refused, by the server's answer or the last check.
  const refused = Boolean(fieldError) || check.state === 'unavailable';
  return (
    <Input.Wrapper
      label={t('newCase.requestedHostname')}
      description={t('newCase.requestedHostnameHint')}
      error={fieldError}
      data-testid="requested-hostname"
    >
      <Group gap={6} wrap="nowrap" align="flex-end" mt={6} className="requested-name">
        <TextInput
          aria-label={t('newCase.label')}
          label={
            <Text span size="xs" c="dimmed">
              {t('newCase.label')}
            </Text>
          }
          placeholder={t('newCase.labelPlaceholder')}
          value={label}
          error={refused}
          disabled={disabled}
          autoCapitalize="none"
          autoComplete="off"
          spellCheck={false}
          maxLength={253}
          style={{ flex: '1 1 0', minWidth: 0 }}
          onChange={(event) => {
            const typed = event.currentTarget.value;
            // A whole name typed or pasted here goes into its two parts.
            if (typed.includes('.')) {
              const parts = splitHostname(typed);
              onLabel(parts.label);
              if (parts.zone) onZone(parts.zone);
            } else {
              onLabel(typed);
            }
          }}
        />
        <Text fw={700} pb={8} aria-hidden>
          .
        </Text>
        <Autocomplete
          aria-label={t('newCase.zone')}
          label={
            <Text span size="xs" c="dimmed">
              {t('newCase.zone')}
            </Text>
          }
          placeholder={t('newCase.zonePlaceholder')}
          data={zones}
          value={zone}
          onChange={onZone}
          error={refused}
          disabled={disabled}
          autoCapitalize="none"
          autoComplete="off"
          spellCheck={false}
          maxLength={200}
          style={{ flex: '1.4 1 0', minWidth: 0 }}
          comboboxProps={{ withinPortal: true }}
        />
      </Group>
      {fieldError ? null : (
        <Box mt={6}>
          <NameCheckNote check={check} testId="requested-hostname-check" />
        </Box>
      )}
    </Input.Wrapper>
  );
}
