import { Button, Center, createTheme, Loader, MantineProvider, Stack, Text } from '@mantine/core';
import { QueryCache, QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { ApiError } from './api/client';
import { useSession, useSettings } from './api/session';
import { AppLayout } from './components/AppLayout';
import { Toasts } from './components/Toasts';
import { setLocale } from './lib/money';
import { useLocation } from './lib/router';
import { LoginPage } from './pages/LoginPage';
import { PasswordResetPage } from './pages/PasswordResetPage';
import { Routes } from './pages/Routes';
import { SetupPage } from './pages/SetupPage';

const queryClient: QueryClient = new QueryClient({
  queryCache: new QueryCache({
    onError: (err) => {
      // A session that expired: back to the sign-in form.
      if (err instanceof ApiError && err.status === 401) void queryClient.invalidateQueries({ queryKey: ['session'] });
    },
  }),
  defaultOptions: {
    queries: {
      staleTime: 15_000,
      refetchOnWindowFocus: false,
      retry: (count, err) => !(err instanceof ApiError && err.status < 500) && count < 2,
    },
  },
});

const theme = createTheme({
  primaryColor: 'teal',
  defaultRadius: 'md',
  fontFamily: 'system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif',
});

export function App() {
  return (
    <MantineProvider theme={theme} defaultColorScheme="light">
      <QueryClientProvider client={queryClient}>
        <Root />
        <Toasts />
      </QueryClientProvider>
    </MantineProvider>
  );
}

function FullPageLoader() {
  return (
    <Center h="100vh">
      <Loader aria-label="Loading" />
    </Center>
  );
}

function Root() {
  const session = useSession();
  const { path } = useLocation();
  if (session.isPending) return <FullPageLoader />;
  if (session.isError)
    return (
      <Center h="100vh">
        <Stack align="center">
          <Text>Arbor could not be reached: {session.error.message}</Text>
          <Button onClick={() => session.refetch()}>Try again</Button>
        </Stack>
      </Center>
    );
  if (session.data.setupNeeded) return <SetupPage />;
  if (!session.data.me) return path === '/reset-password' ? <PasswordResetPage /> : <LoginPage />;
  return <SignedIn />;
}

function SignedIn() {
  const settings = useSettings();
  if (settings.isPending) return <FullPageLoader />;
  setLocale(settings.data?.locale);
  return (
    <AppLayout>
      <Routes />
    </AppLayout>
  );
}
