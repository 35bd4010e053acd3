import {
  Alert,
  Box,
  Button,
  Group,
  Paper,
  PasswordInput,
  Stack,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { useForm } from '@mantine/form';
import { IconAlertCircle, IconClockHour4, IconFileCheck, IconHistory, IconLock } from '@tabler/icons-react';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useNavigate, useSearch } from '@tanstack/react-router';
import { useTranslation } from 'react-i18next';
import { isApiError } from '../api/client.ts';
import { authApi } from '../api/endpoints.ts';
import { Emblem } from '../components/Emblem.tsx';
import { LanguageSwitcher } from '../components/LanguageSwitcher.tsx';
import { errorMessage, translateMessage } from '../lib/errors.ts';
import { meQuery, safeNext } from '../session.ts';

function Brand({ large = false }: { large?: boolean }) {
  const { t } = useTranslation();
  return (
    <Group gap="md" wrap="nowrap">
      <Emblem size={large ? 60 : 48} />
      <div>
        <Text fw={800} fz={large ? 32 : 26} lh={1.05} c="white" style={{ letterSpacing: '-0.02em' }}>
          {t('app.name')}
        </Text>
        <Text fz={large ? 'md' : 'sm'} c="rgba(255,255,255,0.8)" fw={500}>
          {t('app.subtitle')}
        </Text>
      </div>
    </Group>
  );
}

export function SignInPage() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const search = useSearch({ from: '/masuk' });

  const form = useForm({
    initialValues: { username: '', password: '' },
    validate: {
      username: (value) => (value.trim() ? null : 'validation.required'),
      password: (value) => (value ? null : 'validation.required'),
    },
  });

  const login = useMutation({
    mutationFn: (values: { username: string; password: string }) =>
      authApi.login(values.username.trim(), values.password),
    onSuccess: async ({ user }) => {
      queryClient.clear();
      queryClient.setQueryData(meQuery.queryKey, user);
      await navigate({ to: safeNext(search.next), replace: true });
    },
    onError: () => {
      form.setFieldValue('password', '');
    },
  });

  const failure = login.error;
  const failureText =
    failure && isApiError(failure, 'INVALID_CREDENTIALS')
      ? t('signIn.invalid')
      : failure && isApiError(failure, 'TOO_MANY_ATTEMPTS')
        ? t('signIn.tooMany', {
            minutes: Math.max(1, Math.ceil((failure.details?.retryAfterSeconds ?? 60) / 60)),
          })
        : failure
          ? errorMessage(failure)
          : null;

  return (
    <div className="signin">
      <section className="signin-hero">
        <Brand large />
        <Stack gap="xl">
          <Text component="p" className="signin-hero-title" m={0}>
            {t('signIn.heroTitle')}
          </Text>
          <Text c="rgba(255,255,255,0.82)" maw={520} fz="md" lh={1.6}>
            {t('signIn.heroText')}
          </Text>
          <Stack gap="sm" component="ul" p={0} m={0} style={{ listStyle: 'none' }}>
            {[
              { icon: IconFileCheck, text: t('signIn.feature1') },
              { icon: IconClockHour4, text: t('signIn.feature2') },
              { icon: IconHistory, text: t('signIn.feature3') },
            ].map(({ icon: Icon, text }) => (
              <li key={text} className="signin-feature">
                <span className="signin-feature-icon">
                  <Icon size={18} stroke={1.8} />
                </span>
                {text}
              </li>
            ))}
          </Stack>
        </Stack>
        <Text fz="xs" c="rgba(255,255,255,0.6)">
          {t('app.agency')}
        </Text>
      </section>

      <main className="signin-panel">
        <div className="signin-panel-lang">
          <LanguageSwitcher size="sm" />
        </div>
        <div className="signin-mobile-brand">
          <Group justify="space-between" align="flex-start" wrap="nowrap">
            <Brand />
            <LanguageSwitcher inverted />
          </Group>
          <Text fz="sm" c="rgba(255,255,255,0.82)" lh={1.5}>
            {t('app.tagline')}
          </Text>
        </div>
        <div className="signin-card">
          <Paper withBorder shadow="md" radius="lg" p={{ base: 'lg', sm: 36 }}>
            <Group gap="xs" wrap="nowrap" mb={6}>
              <IconLock size={20} color="var(--mantine-color-loket-7)" />
              <Title order={1} fz={22}>
                {t('signIn.title')}
              </Title>
            </Group>
            <Text size="sm" c="dimmed" mb="lg">
              {t('signIn.intro')}
            </Text>

            <form onSubmit={form.onSubmit((values) => login.mutate(values))} noValidate>
              <Stack gap="md">
                {failureText ? (
                  <Alert color="red" variant="light" icon={<IconAlertCircle size={18} />} role="alert">
                    {failureText}
                  </Alert>
                ) : null}
                <TextInput
                  label={t('signIn.username')}
                  autoComplete="username"
                  autoCapitalize="none"
                  autoCorrect="off"
                  spellCheck={false}
                  data-autofocus
                  size="md"
                  {...form.getInputProps('username')}
                  error={translateMessage(form.errors.username)}
                />
                <PasswordInput
                  label={t('signIn.password')}
                  autoComplete="current-password"
                  size="md"
                  {...form.getInputProps('password')}
                  error={translateMessage(form.errors.password)}
                />
                <Button type="submit" size="md" fullWidth loading={login.isPending} mt="xs">
                  {t('signIn.submit')}
                </Button>
              </Stack>
            </form>
          </Paper>
          <Box mt="lg" ta="center">
            <Text size="sm" c="dimmed">
              {t('signIn.help')}
            </Text>
            <Text size="xs" c="dimmed" mt={6}>
              {t('signIn.footer', { year: new Date().getFullYear() })}
            </Text>
          </Box>
        </div>
      </main>
    </div>
  );
}
