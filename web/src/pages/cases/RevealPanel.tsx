/**
 * A credential an action revealed (the handover's database password): shown once, in a dialog that
 * only its own button closes, with a copy button each. It lives in the page's state only — never in
 * the query cache (web/src/lib/reveal.ts) — and is gone when the dialog is closed or the page left.
 */
import {
  ActionIcon,
  Alert,
  Button,
  Code,
  CopyButton,
  Group,
  Modal,
  Stack,
  Text,
  Tooltip,
} from '@mantine/core';
import { IconCheck, IconCopy, IconKey } from '@tabler/icons-react';
import { createContext, useContext } from 'react';
import { useTranslation } from 'react-i18next';
import i18n from '../../i18n/index.ts';
import type { Reveal } from '../../lib/reveal.ts';
import { labelFor } from './schemaForm.ts';

export type Revealed = { title: string; values: Reveal };

/** How an action form hands a revealed credential to the page. */
export const RevealContext = createContext<(revealed: Revealed) => void>(() => {});

export const useShowReveal = () => useContext(RevealContext);

/** A revealed value's name: the dictionary's, else the form labels', else the key. */
function revealLabel(key: string): string {
  const dictionary = `case.reveal.keys.${key}`;
  return i18n.exists(dictionary) ? (i18n.t as (key: string) => string)(dictionary) : labelFor(key);
}

export function RevealPanel({ revealed, onClose }: { revealed: Revealed | null; onClose: () => void }) {
  const { t } = useTranslation();
  return (
    <Modal
      opened={revealed !== null}
      onClose={onClose}
      closeOnClickOutside={false}
      closeOnEscape={false}
      withCloseButton={false}
      title={revealed ? t('case.reveal.title', { title: revealed.title }) : ''}
      size="lg"
      data-testid="case-reveal"
    >
      {revealed ? (
        <Stack gap="md" data-testid="case-reveal-body">
          <Alert color="orange" variant="light" icon={<IconKey size={18} />} title={t('case.reveal.once')}>
            {t('case.reveal.onceText')}
          </Alert>
          {Object.entries(revealed.values).map(([key, value]) => (
            <Stack key={key} gap={4}>
              <Text size="xs" c="dimmed" fw={700} tt="uppercase" style={{ letterSpacing: '0.04em' }}>
                {revealLabel(key)}
              </Text>
              <Group gap="xs" wrap="nowrap">
                <Code
                  block
                  style={{ flex: 1, overflowWrap: 'anywhere', whiteSpace: 'pre-wrap' }}
                  data-testid={`case-reveal-${key}`}
                >
                  {value}
                </Code>
                <CopyButton value={value} timeout={2000}>
                  {({ copied, copy }) => (
                    <Tooltip label={copied ? t('case.reveal.copied') : t('case.reveal.copy')}>
                      <ActionIcon
                        variant="light"
                        color={copied ? 'teal' : 'gray'}
                        size="lg"
                        onClick={copy}
                        aria-label={t('case.reveal.copyLabel', { name: revealLabel(key) })}
                      >
                        {copied ? <IconCheck size={18} /> : <IconCopy size={18} />}
                      </ActionIcon>
                    </Tooltip>
                  )}
                </CopyButton>
              </Group>
            </Stack>
          ))}
          <Group justify="flex-end">
            <Button onClick={onClose} data-testid="case-reveal-close">
              {t('case.reveal.saved')}
            </Button>
          </Group>
        </Stack>
      ) : null}
    </Modal>
  );
}
