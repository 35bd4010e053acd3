/**
 * On a request at its installation step: the automatic installation of the request's website, tied
 * to the request (the run deploys the source archive handed over at the build step), with a hint that
 * the installation is then recorded with the step's own form.
 */
import { Alert } from '@mantine/core';
import { IconInfoCircle } from '@tabler/icons-react';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { registryKeys, websitesApi } from '../../api/registry.ts';
import { AnchorLink, useRegistryAccess } from '../registry/common.tsx';
import { ProvisioningPanel } from './ProvisioningPanel.tsx';

/** The request as this panel needs it (a subset of CaseDetail). */
type CaseLike = {
  id: string;
  step: { key: string };
  website?: { id: string } | null;
};

const INSTALL_STEP = 'instalasi';

export function CaseInstallPanel({ detail }: { detail: CaseLike }) {
  const { t } = useTranslation();
  const access = useRegistryAccess();
  const websiteId = detail.website?.id ?? null;
  const atInstall = detail.step.key === INSTALL_STEP && websiteId !== null;
  const website = useQuery({
    queryKey: registryKeys.website(websiteId ?? 'none'),
    queryFn: () => websitesApi.get(websiteId ?? ''),
    enabled: atInstall && access.reader,
  });
  if (!atInstall || !access.reader || !website.data) return null;
  return (
    <ProvisioningPanel
      website={website.data}
      caseId={detail.id}
      kinds={['install']}
      title={t('provisioning.caseInstall.title')}
      intro={t('provisioning.caseInstall.intro')}
    >
      <Alert color="blue" variant="light" icon={<IconInfoCircle size={18} />} data-testid="case-install-hint">
        {t('provisioning.caseInstall.hint')}{' '}
        <AnchorLink to="/registri/website/$id" params={{ id: website.data.id }} size="sm" fw={600}>
          {t('provisioning.caseInstall.openWebsite')}
        </AnchorLink>
      </Alert>
    </ProvisioningPanel>
  );
}
