/**
 * The public page a document's QR code opens (`/verifikasi/:id`): no sign-in and no app menu. It shows what
 * was issued, its SHA-256, whether a newer version replaced it, and checks a PDF the reader holds against
 * the issued bytes, with an answer nobody can misread: SAH (green) or TIDAK SAH (red).
 */
import {
  Alert,
  Anchor,
  Box,
  Button,
  Group,
  Loader,
  Paper,
  SimpleGrid,
  Skeleton,
  Stack,
  Text,
  Title,
} from '@mantine/core';
import { useDocumentTitle } from '@mantine/hooks';
import {
  IconAlertTriangle,
  IconFileCertificate,
  IconFileUnknown,
  IconFingerprint,
  IconRefresh,
  IconShieldCheck,
  IconShieldX,
  IconUpload,
} from '@tabler/icons-react';
import { useMutation, useQuery } from '@tanstack/react-query';
import { getRouteApi, Link } from '@tanstack/react-router';
import { type ReactNode, useEffect, useId, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { isApiError } from '../api/client.ts';
import { verifyApi } from '../api/endpoints.ts';
import type { DocumentVerification, VerifyResult } from '../api/types.ts';
import { Emblem } from '../components/Emblem.tsx';
import { HashText } from '../components/HashText.tsx';
import { LanguageSwitcher } from '../components/LanguageSwitcher.tsx';
import { errorMessage } from '../lib/errors.ts';
import { formatDateTime } from '../lib/format.ts';
import { formatDay } from '../lib/holidayDates.ts';

const route = getRouteApi('/verifikasi/$id');

function isUnknown(error: unknown): boolean {
  // 404: no such document; 400: the address is not a document id at all.
  return isApiError(error) && (error.status === 404 || error.status === 400);
}

function Fact({ label, children, testId }: { label: string; children: ReactNode; testId?: string }) {
  return (
    <Stack gap={2} style={{ minWidth: 0 }} data-testid={testId}>
      <Text size="xs" c="dimmed" fw={600} tt="uppercase" style={{ letterSpacing: '0.04em' }}>
        {label}
      </Text>
      <Text size="sm" fw={500} className="break-anywhere">
        {children}
      </Text>
    </Stack>
  );
}

function text(value: unknown): string | null {
  return typeof value === 'string' && value.trim() ? value : null;
}

function DocumentRecord({ doc }: { doc: DocumentVerification }) {
  const { t } = useTranslation();
  const caseRef = text(doc.info.caseRef);
  const opd = text(doc.info.opd);
  const agendaNumber = text(doc.info.agendaNumber);
  const letterDate = text(doc.info.date);
  return (
    <Paper withBorder shadow="xs" p={{ base: 'md', sm: 'xl' }} data-testid="verify-document">
      <Group gap={8} mb={6} wrap="nowrap">
        <IconFileCertificate size={18} color="var(--mantine-color-loket-7)" aria-hidden />
        <Text size="xs" fw={700} c="loket.8" tt="uppercase" style={{ letterSpacing: '0.06em' }}>
          {t(`docs.kinds.${doc.kind}`, { defaultValue: t('verify.eyebrow') })}
        </Text>
      </Group>
      <Title order={1} fz={{ base: 22, sm: 26 }} className="break-anywhere">
        {doc.title}
      </Title>

      {doc.replacedById ? (
        <Alert
          color="orange"
          variant="light"
          icon={<IconAlertTriangle size={20} />}
          title={t('verify.replacedTitle')}
          mt="md"
          data-testid="verify-replaced"
        >
          <Text size="sm">{t('verify.replacedText')}</Text>
          <Anchor component={Link} to={`/verifikasi/${doc.replacedById}`} size="sm" fw={700}>
            {t('verify.replacedLink')}
          </Anchor>
        </Alert>
      ) : null}

      <SimpleGrid cols={{ base: 1, xs: 2 }} spacing="lg" verticalSpacing="md" mt="lg">
        {doc.number ? (
          <Fact label={t('verify.number')} testId="verify-number">
            <Text span ff="monospace" fw={700} size="sm">
              {doc.number}
            </Text>
          </Fact>
        ) : null}
        <Fact label={t('verify.version')}>{doc.version}</Fact>
        <Fact label={t('verify.issuedAt')}>{formatDateTime(doc.issuedAt)}</Fact>
        <Fact label={t('verify.issuedBy')}>{doc.issuedBy}</Fact>
        {caseRef ? (
          <Fact label={t('verify.caseRef')}>
            <Text span ff="monospace" fw={700} size="sm">
              {caseRef}
            </Text>
          </Fact>
        ) : null}
        {opd ? <Fact label={t('verify.opd')}>{opd}</Fact> : null}
        {agendaNumber ? <Fact label={t('verify.agendaNumber')}>{agendaNumber}</Fact> : null}
        {letterDate ? <Fact label={t('verify.letterDate')}>{formatDay(letterDate)}</Fact> : null}
      </SimpleGrid>

      <Box mt="lg" p="sm" bg="gray.0" style={{ borderRadius: 'var(--mantine-radius-md)' }}>
        <Group gap={6} mb={4} wrap="nowrap">
          <IconFingerprint size={16} aria-hidden />
          <Text size="xs" fw={700} tt="uppercase" c="dimmed" style={{ letterSpacing: '0.04em' }}>
            {t('verify.sha256')}
          </Text>
        </Group>
        <HashText hash={doc.sha256} testId="verify-sha256" />
        <Text size="xs" c="dimmed" mt={6}>
          {t('verify.sha256Hint')}
        </Text>
      </Box>

      {doc.replacesId ? (
        <Text size="xs" c="dimmed" mt="md">
          {t('verify.replaces')}{' '}
          <Anchor component={Link} to={`/verifikasi/${doc.replacesId}`} size="xs">
            {t('verify.replacesLink')}
          </Anchor>
        </Text>
      ) : null}
    </Paper>
  );
}

function Verdict({ result, fileName }: { result: VerifyResult; fileName: string }) {
  const { t } = useTranslation();
  const heading = useRef<HTMLHeadingElement>(null);
  // The answer is what the reader came for: focus moves to it (and a screen reader reads it).
  useEffect(() => heading.current?.focus(), []);
  const valid = result.valid;
  const Icon = valid ? IconShieldCheck : IconShieldX;
  return (
    <Box
      className="verify-result"
      data-valid={valid ? 'true' : 'false'}
      data-testid="verify-result"
      role="status"
    >
      <div className="verify-verdict">
        <Icon size={56} stroke={1.6} aria-hidden className="verify-verdict-icon" />
        <h2 ref={heading} tabIndex={-1} className="verify-verdict-text">
          <span className="verify-verdict-word">{valid ? t('verify.valid') : t('verify.invalid')}</span>
          <span className="verify-verdict-dash"> — </span>
          <span className="verify-verdict-rest">
            {valid ? t('verify.validText') : t('verify.invalidText')}
          </span>
        </h2>
      </div>
      <Stack gap="sm" className="verify-result-body">
        <Text size="sm" className="break-anywhere">
          {valid
            ? t('verify.validExplain', { name: fileName })
            : t('verify.invalidExplain', { name: fileName })}
        </Text>
        <div>
          <Text size="xs" fw={700} c="dimmed" tt="uppercase" mb={2}>
            {t('verify.yourHash')}
          </Text>
          <HashText hash={result.sha256} testId="verify-your-hash" />
        </div>
        <div>
          <Text size="xs" fw={700} c="dimmed" tt="uppercase" mb={2}>
            {t('verify.issuedHash')}
          </Text>
          <HashText hash={result.issuedSha256} testId="verify-issued-hash" />
        </div>
      </Stack>
    </Box>
  );
}

function isPdf(file: File): boolean {
  return file.type === 'application/pdf' || file.name.toLowerCase().endsWith('.pdf');
}

function Check({ id }: { id: string }) {
  const { t } = useTranslation();
  const inputId = useId();
  const input = useRef<HTMLInputElement>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const check = useMutation({
    mutationFn: (file: File) => verifyApi.check(id, file),
    onError: (error) =>
      setProblem(
        isApiError(error, 'FILE_TYPE_NOT_ALLOWED') || isApiError(error, 'FILE_TOO_LARGE')
          ? t('verify.notPdf')
          : errorMessage(error),
      ),
  });

  const choose = (files: FileList | null) => {
    const file = files?.[0];
    if (input.current) input.current.value = '';
    if (!file) return;
    check.reset();
    setProblem(null);
    if (!isPdf(file)) {
      setProblem(t('verify.notPdf'));
      return;
    }
    check.mutate(file);
  };

  return (
    <Paper
      withBorder
      shadow="xs"
      p={{ base: 'md', sm: 'xl' }}
      component="section"
      aria-labelledby={`${inputId}-title`}
    >
      <Title order={2} fz="lg" id={`${inputId}-title`}>
        {t('verify.checkTitle')}
      </Title>
      <Text size="sm" c="dimmed" mt={4} mb="md">
        {t('verify.checkIntro')}
      </Text>
      <input
        ref={input}
        id={inputId}
        type="file"
        accept="application/pdf,.pdf"
        className="file-input-native"
        disabled={check.isPending}
        onChange={(event) => choose(event.currentTarget.files)}
      />
      <label htmlFor={inputId} className="verify-upload" data-disabled={check.isPending ? 'true' : undefined}>
        {check.isPending ? <Loader size={20} color="loket" /> : <IconUpload size={22} aria-hidden />}
        {t('verify.upload')}
      </label>
      <Box aria-live="polite" mt="md">
        {check.isPending && check.variables ? (
          <Text size="sm" c="dimmed" ta="center">
            {t('verify.checking', { name: check.variables.name })}
          </Text>
        ) : null}
        {problem ? (
          <Alert color="red" variant="light" icon={<IconAlertTriangle size={18} />} role="alert">
            {problem}
          </Alert>
        ) : null}
      </Box>
      {check.data && check.variables ? (
        <Verdict key={check.submittedAt} result={check.data} fileName={check.variables.name} />
      ) : null}
    </Paper>
  );
}

function UnknownDocument() {
  const { t } = useTranslation();
  return (
    <Paper withBorder shadow="xs" p={{ base: 'lg', sm: 'xl' }} data-testid="verify-unknown" ta="center">
      <Box className="verify-unknown-icon" mx="auto" mb="md">
        <IconFileUnknown size={40} stroke={1.5} aria-hidden />
      </Box>
      <Title order={1} fz={{ base: 22, sm: 26 }}>
        {t('verify.unknownTitle')}
      </Title>
      <Text c="dimmed" mt="sm" maw={520} mx="auto">
        {t('verify.unknownText')}
      </Text>
    </Paper>
  );
}

export function VerifyPage() {
  const { t } = useTranslation();
  const { id } = route.useParams();
  useDocumentTitle(t('verify.documentTitle'));
  const info = useQuery({ queryKey: ['verify', id], queryFn: () => verifyApi.info(id), staleTime: 60_000 });

  return (
    <div className="verify-page">
      <header className="verify-header">
        <div className="verify-header-inner">
          <Group gap={10} wrap="nowrap" style={{ minWidth: 0 }}>
            <Emblem size={40} title={t('app.name')} />
            <div style={{ minWidth: 0 }}>
              <Text fw={800} fz={20} lh={1.05} c="white">
                {t('app.name')}
              </Text>
              <Text fz={12} className="app-brand-subtitle" fw={500} lineClamp={1}>
                {t('verify.brand')}
              </Text>
            </div>
          </Group>
          <LanguageSwitcher inverted />
        </div>
      </header>

      <main className="verify-main" id="main">
        <Stack gap="lg">
          {info.isError ? (
            isUnknown(info.error) ? (
              <UnknownDocument />
            ) : (
              <Alert
                color="red"
                variant="light"
                icon={<IconAlertTriangle size={18} />}
                title={t('common.loadFailed')}
              >
                {errorMessage(info.error)}
                <Button
                  size="xs"
                  variant="white"
                  color="red"
                  mt="sm"
                  display="block"
                  leftSection={<IconRefresh size={14} />}
                  onClick={() => void info.refetch()}
                >
                  {t('common.retry')}
                </Button>
              </Alert>
            )
          ) : !info.data ? (
            <>
              <Skeleton height={320} radius="lg" />
              <Skeleton height={200} radius="lg" />
            </>
          ) : (
            <>
              <Text size="sm" c="dimmed">
                {t('verify.intro')}
              </Text>
              <DocumentRecord doc={info.data} />
              <Check id={info.data.id} />
            </>
          )}
        </Stack>
      </main>

      <footer className="verify-footer">
        <Text size="xs" c="dimmed">
          {t('app.agency')}
        </Text>
        <Text size="xs" c="dimmed">
          {t('verify.publicNote')}{' '}
          <Anchor component={Link} to="/" size="xs">
            {t('verify.openLoket')}
          </Anchor>
        </Text>
      </footer>
    </div>
  );
}
