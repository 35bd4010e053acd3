/** An official document's two links: the PDF as issued, and its public verification page. */
import { Anchor, Button, type ButtonProps } from '@mantine/core';
import { IconDownload, IconExternalLink } from '@tabler/icons-react';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { OfficialDocument } from '../api/types.ts';

type Named = Pick<OfficialDocument, 'title' | 'version'>;

export function DownloadButton({
  document,
  children,
  ...button
}: { document: Named & Pick<OfficialDocument, 'url'>; children?: ReactNode } & ButtonProps) {
  const { t } = useTranslation();
  return (
    <Button
      component="a"
      href={document.url}
      download
      size="xs"
      variant="light"
      leftSection={<IconDownload size={16} />}
      // The short visible label gets the document's name for screen readers (a custom label says it all).
      aria-label={
        children ? undefined : t('docs.downloadLabel', { title: document.title, version: document.version })
      }
      {...button}
    >
      {children ?? t('docs.download')}
    </Button>
  );
}

/** Opens the public page in a new tab: the request page stays where it was. */
export function VerifyLink({ document }: { document: Named & Pick<OfficialDocument, 'verifyUrl'> }) {
  const { t } = useTranslation();
  return (
    <Anchor
      href={document.verifyUrl}
      target="_blank"
      rel="noopener"
      size="xs"
      fw={600}
      display="inline-flex"
      style={{ gap: 4, alignItems: 'center' }}
      aria-label={t('docs.verifyLabel', { title: document.title, version: document.version })}
    >
      {t('docs.verify')} <IconExternalLink size={14} aria-hidden />
    </Anchor>
  );
}
