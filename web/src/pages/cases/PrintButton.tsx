/**
 * "Cetak": the request's official summary as a PDF in a new tab, issued fresh (it records the request
 * as it stands now). DKISP staff issue it; an OPD, which issues no documents, prints the page itself
 * (the print stylesheet, print.css, keeps the record and drops navigation and forms).
 */
import { Button } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconPrinter } from '@tabler/icons-react';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { documentsApi } from '../../api/endpoints.ts';
import type { CaseDetail, OfficialDocument } from '../../api/types.ts';
import { errorMessage } from '../../lib/errors.ts';
import { hasRole, useMe } from '../../session.ts';
import { caseKeys } from './queries.ts';

/** Shows the PDF in the tab opened on click (a tab opened after the request would be blocked). */
async function showPdf(document: OfficialDocument, tab: Window | null): Promise<void> {
  const response = await fetch(document.url, { credentials: 'same-origin' });
  if (!response.ok) throw new Error(`HTTP ${response.status}`);
  // The stored file is served as an attachment; a blob of it opens in the browser's PDF viewer.
  const url = URL.createObjectURL(new Blob([await response.blob()], { type: 'application/pdf' }));
  if (tab && !tab.closed) {
    tab.location.href = url;
  } else {
    const link = window.document.createElement('a');
    link.href = url;
    link.download = `${document.title}.pdf`;
    link.click();
  }
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}

export function PrintButton({ detail }: { detail: CaseDetail }) {
  const { t } = useTranslation();
  const me = useMe();
  const queryClient = useQueryClient();
  const staff = me.opd === null && !hasRole(me, 'opd');

  const issue = useMutation({
    mutationFn: async (tab: Window | null) => {
      const document = await documentsApi.issue(detail.id, 'case_summary');
      await showPdf(document, tab);
      return document;
    },
    onSuccess: () => queryClient.invalidateQueries({ queryKey: caseKeys.documents(detail.id) }),
    onError: (error, tab) => {
      tab?.close();
      notifications.show({ color: 'red', title: t('case.printFailed'), message: errorMessage(error) });
    },
  });

  if (detail.status === 'draft') return null;
  return (
    <Button
      variant="default"
      size="xs"
      leftSection={<IconPrinter size={16} />}
      loading={issue.isPending}
      data-testid="case-print"
      data-print="hide"
      title={staff ? t('case.printSummaryHint') : t('case.printPageHint')}
      onClick={() => {
        if (!staff) {
          window.print();
          return;
        }
        issue.mutate(window.open('about:blank', '_blank'));
      }}
    >
      {t('case.print')}
    </Button>
  );
}
