import '@mantine/core/styles.css';
import '@mantine/notifications/styles.css';
import './styles.css';
import './print.css';
import './i18n/index.ts';

import { MantineProvider } from '@mantine/core';
import { Notifications, notifications } from '@mantine/notifications';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { RouterProvider } from '@tanstack/react-router';
import { StrictMode, useMemo } from 'react';
import { createRoot } from 'react-dom/client';
import { useTranslation } from 'react-i18next';
import { isApiError, onUnauthenticated } from './api/client.ts';
import i18n from './i18n/index.ts';
import { makeRouter } from './router.tsx';
import { makeTheme } from './theme.ts';

const queryClient = new QueryClient({
  defaultOptions: {
    queries: {
      staleTime: 15_000,
      refetchOnWindowFocus: false,
      // Client errors (401, 403, 404, 422) will not fix themselves; only retry network and server trouble.
      retry: (count, error) => count < 2 && !(isApiError(error) && error.status >= 400 && error.status < 500),
    },
  },
});

const router = makeRouter(queryClient);

// A session that ended (expired, signed out elsewhere, password changed) sends the user to sign in again.
onUnauthenticated(() => {
  const location = router.state.location;
  queryClient.clear();
  if (location.pathname === '/masuk') return;
  notifications.show({ id: 'session-ended', color: 'orange', message: i18n.t('userMenu.sessionEnded') });
  void router.navigate({ to: '/masuk', search: { next: location.href } });
});

function App() {
  const { t, i18n: i18nInstance } = useTranslation();
  // biome-ignore lint/correctness/useExhaustiveDependencies: rebuilt when the language changes
  const theme = useMemo(
    () => makeTheme({ close: t('common.close'), togglePassword: t('password.toggleVisibility') }),
    [i18nInstance.language],
  );
  return (
    <MantineProvider theme={theme} defaultColorScheme="light">
      <Notifications position="top-right" zIndex={1000} />
      <QueryClientProvider client={queryClient}>
        <RouterProvider router={router} />
      </QueryClientProvider>
    </MantineProvider>
  );
}

const container = document.getElementById('root');
if (!container) throw new Error('#root is missing from index.html');

createRoot(container).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
