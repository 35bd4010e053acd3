/** A password input for administrators, with a button that makes a strong random password and shows it. */
import { Button, CopyButton, Group, PasswordInput, Text } from '@mantine/core';
import { IconCheck, IconCopy, IconWand } from '@tabler/icons-react';
import { type ReactNode, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { generatePassword } from '../lib/password.ts';

type Props = {
  label: string;
  value: string;
  onChange: (value: string) => void;
  error?: ReactNode;
  required?: boolean;
};

export function GeneratedPasswordInput({ label, value, onChange, error, required }: Props) {
  const { t } = useTranslation();
  const [visible, setVisible] = useState(false);
  const [generated, setGenerated] = useState(false);

  return (
    <div>
      <PasswordInput
        label={label}
        value={value}
        onChange={(event) => {
          setGenerated(false);
          onChange(event.currentTarget.value);
        }}
        visible={visible}
        onVisibilityChange={setVisible}
        error={error}
        required={required}
        autoComplete="new-password"
        description={t('password.hint')}
        styles={{ input: { fontFamily: 'var(--mantine-font-family-monospace)' } }}
      />
      <Group mt="xs" gap="xs" wrap="wrap">
        <Button
          variant="light"
          size="xs"
          leftSection={<IconWand size={14} />}
          onClick={() => {
            onChange(generatePassword());
            setVisible(true);
            setGenerated(true);
          }}
        >
          {t('password.generate')}
        </Button>
        {value ? (
          <CopyButton value={value}>
            {({ copied, copy }) => (
              <Button
                variant="subtle"
                size="xs"
                color={copied ? 'teal' : 'gray'}
                leftSection={copied ? <IconCheck size={14} /> : <IconCopy size={14} />}
                onClick={copy}
              >
                {copied ? t('common.copied') : t('common.copy')}
              </Button>
            )}
          </CopyButton>
        ) : null}
      </Group>
      {generated ? (
        <Text size="xs" c="teal.9" mt={6}>
          {t('password.generated')}
        </Text>
      ) : null}
    </div>
  );
}
