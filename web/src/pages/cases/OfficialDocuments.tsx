/**
 * The request's official PDFs ("Dokumen Resmi"): what was issued, in which version, by whom, with the
 * download and the public verification page; the buttons to issue what this user may issue; and, for the
 * OPD, the follow-up letter up front as soon as it is issued.
 */
import {
  Alert,
  Badge,
  Box,
  Button,
  Group,
  Paper,
  Skeleton,
  Stack,
  Text,
  ThemeIcon,
  Title,
} from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconAlertTriangle, IconFileCertificate, IconFileCheck, IconFilePlus } from '@tabler/icons-react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { isApiError } from '../../api/client.ts';
import { documentsApi, type IssuableKind } from '../../api/endpoints.ts';
import type { CaseDetail, Me, OfficialDocument, Service } from '../../api/types.ts';
import { DownloadButton, VerifyLink } from '../../components/DocumentLinks.tsx';
import i18n from '../../i18n/index.ts';
import { latestFollowUpLetter, newestFirst, replacements } from '../../lib/documents.ts';
import { errorMessage } from '../../lib/errors.ts';
import { formatDateTime } from '../../lib/format.ts';
import { hasRole, useMe } from '../../session.ts';
import { caseDocumentsQuery, caseKeys, isMissingRoute } from './queries.ts';

type Offer = { key: string; kind: IssuableKind; kakVersion?: number; label: string };

/** DKISP staff: not an OPD user (the server's `isDkisp`). */
function isDkisp(me: Me): boolean {
  return me.opd === null && !hasRole(me, 'opd');
}

/** What this user may issue for this request now (the server decides; this only offers). */
function offers(detail: CaseDetail, me: Me, service: Service | undefined): Offer[] {
  const t = i18n.t;
  if (!isDkisp(me) || detail.status === 'draft') return [];
  const list: Offer[] = [];
  const mayIssueLetters = hasRole(me, 'umum') || hasRole(me, 'kepala') || hasRole(me, 'admin');
  if (mayIssueLetters && detail.registration) {
    list.push({
      key: 'disposition_sheet',
      kind: 'disposition_sheet',
      label: t('docs.issue.disposition_sheet'),
    });
  }
  list.push({ key: 'case_summary', kind: 'case_summary', label: t('docs.issue.case_summary') });
  for (const kak of detail.kak) {
    list.push({
      key: `kak-${kak.version}`,
      kind: 'kak',
      kakVersion: kak.version,
      label: t('docs.issue.kak', { version: kak.version }),
    });
  }
  // The report once a step of the SOP's `report` block has ended.
  const reportSteps = new Set(
    (service?.steps ?? []).filter((step) => step.block === 'report').map((step) => step.key),
  );
  if (detail.steps.some((step) => reportSteps.has(step.key) && step.endedAt)) {
    list.push({ key: 'report', kind: 'report', label: t('docs.issue.report') });
  }
  return list;
}

/** "versi 2, menggantikan versi 1". */
function versionText(document: OfficialDocument): string {
  const t = i18n.t;
  return document.replacesId && document.version > 1
    ? t('docs.versionReplaces', { version: document.version, previous: document.version - 1 })
    : t('docs.version', { version: document.version });
}

function DocumentItem({
  document,
  replacedBy,
}: {
  document: OfficialDocument;
  replacedBy: OfficialDocument | undefined;
}) {
  const { t } = useTranslation();
  return (
    <Paper
      withBorder
      radius="md"
      p="sm"
      className="official-doc"
      data-replaced={replacedBy ? 'true' : undefined}
      data-testid="official-document"
      data-kind={document.kind}
      component="li"
    >
      <Group justify="space-between" align="flex-start" gap="xs" wrap="wrap">
        <Box style={{ flex: '1 1 220px', minWidth: 0 }}>
          <Text size="sm" fw={700} className="break-anywhere" c={replacedBy ? 'dimmed' : undefined}>
            {document.title}
          </Text>
          <Group gap={6} mt={2} wrap="wrap">
            {document.number ? (
              <Text size="xs" ff="monospace" fw={600}>
                {t('docs.number', { number: document.number })}
              </Text>
            ) : null}
            <Text size="xs" c="dimmed">
              {versionText(document)}
            </Text>
            {replacedBy ? (
              <Badge size="xs" variant="light" color="gray" radius="sm" tt="none">
                {t('docs.replacedBy', { version: replacedBy.version })}
              </Badge>
            ) : null}
          </Group>
          <Text size="xs" c="dimmed" mt={2}>
            {t('docs.issued', { time: formatDateTime(document.issuedAt), name: document.issuedBy.fullName })}
          </Text>
          <Box mt={4}>
            <VerifyLink document={document} />
          </Box>
        </Box>
        <DownloadButton document={document} variant={replacedBy ? 'default' : 'light'} />
      </Group>
    </Paper>
  );
}

export function OfficialDocuments({ detail, service }: { detail: CaseDetail; service: Service | undefined }) {
  const { t } = useTranslation();
  const me = useMe();
  const queryClient = useQueryClient();
  const documents = useQuery(caseDocumentsQuery(detail.id));
  const [problem, setProblem] = useState<string | null>(null);

  const issue = useMutation({
    mutationFn: (offer: Offer) => documentsApi.issue(detail.id, offer.kind, offer.kakVersion),
    onMutate: () => setProblem(null),
    onSuccess: async (document) => {
      queryClient.setQueryData<OfficialDocument[]>(caseKeys.documents(detail.id), (list) =>
        list ? [...list.filter((d) => d.id !== document.id), document] : [document],
      );
      notifications.show({
        color: 'teal',
        icon: <IconFileCheck size={18} />,
        message: t('docs.issuedNotice', { title: document.title, version: document.version }),
      });
      await queryClient.invalidateQueries({ queryKey: caseKeys.documents(detail.id) });
    },
    onError: (error, offer) => {
      setProblem(
        isApiError(error, 'DOCUMENT_NOT_READY') ? t(`docs.notReady.${offer.kind}`) : errorMessage(error),
      );
    },
  });

  // An older server without documents: the section stays away rather than showing an error.
  if (documents.isError && isMissingRoute(documents.error) && !documents.data) return null;

  const available = offers(detail, me, service);
  const list = documents.data ?? [];
  const replacedBy = replacements(list);
  // Once something offered here was issued, say what issuing it again does.
  const reissuing = list.some((d) => available.some((offer) => offer.kind === d.kind));

  return (
    <Paper
      withBorder
      p={{ base: 'md', sm: 'lg' }}
      shadow="xs"
      component="section"
      data-testid="case-official-documents"
      aria-labelledby="official-documents-title"
    >
      <Group gap="sm" mb="xs" wrap="nowrap">
        <ThemeIcon variant="light" size={34} radius="md">
          <IconFileCertificate size={20} />
        </ThemeIcon>
        <Title order={2} fz="lg" id="official-documents-title">
          {t('docs.title')}
        </Title>
      </Group>
      <Text size="xs" c="dimmed" mb="md">
        {t('docs.intro')}
      </Text>

      {problem ? (
        <Alert
          color="orange"
          variant="light"
          icon={<IconAlertTriangle size={18} />}
          title={t('docs.issueFailed')}
          mb="md"
          withCloseButton
          closeButtonLabel={t('common.close')}
          onClose={() => setProblem(null)}
          role="alert"
          data-testid="document-problem"
        >
          {problem}
        </Alert>
      ) : null}

      {documents.isError && !documents.data ? (
        <Alert color="red" variant="light" icon={<IconAlertTriangle size={18} />}>
          {errorMessage(documents.error)}
          <Button
            size="xs"
            variant="white"
            color="red"
            mt="xs"
            display="block"
            onClick={() => void documents.refetch()}
          >
            {t('common.retry')}
          </Button>
        </Alert>
      ) : !documents.data ? (
        <Stack gap="xs">
          <Skeleton height={72} radius="md" />
        </Stack>
      ) : list.length === 0 ? (
        <Text size="sm" c="dimmed">
          {t('docs.empty')}
        </Text>
      ) : (
        <Stack gap="xs" component="ul" p={0} m={0} style={{ listStyle: 'none' }}>
          {newestFirst(list).map((document) => (
            <DocumentItem key={document.id} document={document} replacedBy={replacedBy.get(document.id)} />
          ))}
        </Stack>
      )}

      {available.length > 0 ? (
        <Box mt="md" pt="md" style={{ borderTop: '1px solid var(--mantine-color-gray-2)' }} data-print="hide">
          <Text size="xs" c="dimmed" fw={700} tt="uppercase" mb={8} style={{ letterSpacing: '0.04em' }}>
            {t('docs.issueTitle')}
          </Text>
          <Group gap="xs" data-testid="document-issue-buttons">
            {available.map((offer) => (
              <Button
                key={offer.key}
                size="xs"
                variant="default"
                leftSection={<IconFilePlus size={16} />}
                loading={issue.isPending && issue.variables?.key === offer.key}
                disabled={issue.isPending && issue.variables?.key !== offer.key}
                onClick={() => issue.mutate(offer)}
              >
                {offer.label}
              </Button>
            ))}
          </Group>
          {reissuing ? (
            <Text size="xs" c="dimmed" mt={8}>
              {t('docs.reissueHint')}
            </Text>
          ) : null}
        </Box>
      ) : null}
    </Paper>
  );
}

/** For the OPD: the follow-up letter, up front, as soon as Bagian Umum has sent it. */
export function FollowUpLetterBanner({ caseId }: { caseId: string }) {
  const { t } = useTranslation();
  const documents = useQuery(caseDocumentsQuery(caseId));
  const letter = documents.data ? latestFollowUpLetter(documents.data) : undefined;
  if (!letter) return null;
  return (
    <Paper
      p={{ base: 'md', sm: 'lg' }}
      radius="lg"
      shadow="xs"
      className="follow-up-banner"
      component="section"
      aria-labelledby="follow-up-banner-title"
      data-testid="follow-up-banner"
    >
      <Group gap="md" wrap="nowrap" align="flex-start">
        <ThemeIcon color="teal" size={44} radius="md" visibleFrom="xs">
          <IconFileCheck size={26} />
        </ThemeIcon>
        <Box style={{ flex: 1, minWidth: 0 }}>
          <Title order={2} fz={{ base: 'md', sm: 'lg' }} id="follow-up-banner-title" c="teal.9">
            {t('docs.followUpTitle')}
          </Title>
          <Text size="sm" mt={4} className="break-anywhere">
            {t('docs.followUpText', {
              number: letter.number ?? '—',
              time: formatDateTime(letter.issuedAt),
            })}
          </Text>
          <Group gap="sm" mt="sm" wrap="wrap">
            <DownloadButton document={letter} variant="filled" color="teal" size="sm">
              {t('docs.followUpDownload')}
            </DownloadButton>
            <VerifyLink document={letter} />
          </Group>
        </Box>
      </Group>
    </Paper>
  );
}
