import { useQuery, useQueryClient } from '@tanstack/react-query';
import { api, call, setCsrfToken } from './client';
import type { Me, Settings } from './types';

const SIGNED_IN = 'arbor.signed-in';

/** Remembers (not secretly: the session itself is an HttpOnly cookie) that this browser signed in, so a visitor who never did sees the sign-in form without a 401 round trip. */
export function rememberSignedIn(on: boolean): void {
  try {
    if (on) localStorage.setItem(SIGNED_IN, '1');
    else localStorage.removeItem(SIGNED_IN);
  } catch {
    // Storage may be unavailable (private mode): then /auth/me decides.
  }
}

function maybeSignedIn(): boolean {
  try {
    return localStorage.getItem(SIGNED_IN) === '1';
  } catch {
    return true;
  }
}

export interface SessionState {
  setupNeeded: boolean;
  me: Me | null;
}

/** Whether first-run setup is needed and who is signed in (null: show the sign-in form). */
export function useSession() {
  const qc = useQueryClient();
  return useQuery({
    queryKey: ['session'],
    staleTime: Number.POSITIVE_INFINITY,
    retry: false,
    queryFn: async (): Promise<SessionState> => {
      // Asked together: three answers in one round trip's time before the first page can load its data.
      const signedIn = maybeSignedIn();
      const [setup, meRes, settingsRes] = await Promise.all([
        call(api.GET('/api/v1/setup')),
        signedIn ? api.GET('/api/v1/auth/me') : null,
        signedIn ? api.GET('/api/v1/settings') : null,
      ]);
      if (setup.needed) return { setupNeeded: true, me: null };
      if (!meRes || meRes.response.status === 401) {
        rememberSignedIn(false);
        return { setupNeeded: false, me: null };
      }
      const me = await call(Promise.resolve(meRes));
      if (settingsRes?.data) qc.setQueryData(['settings'], settingsRes.data);
      return { setupNeeded: false, me };
    },
  });
}

export function useMe(): Me {
  const { data } = useSession();
  if (!data?.me) throw new Error('useMe outside a signed-in page');
  return data.me;
}

/** Organization settings: base currency, locale and time zone shape how everything is shown. */
export function useSettings() {
  return useQuery({
    queryKey: ['settings'],
    staleTime: 60_000,
    queryFn: () => call(api.GET('/api/v1/settings')),
  });
}

export function useSignOut() {
  const qc = useQueryClient();
  return async () => {
    await api.POST('/api/v1/auth/logout');
    setCsrfToken(null);
    rememberSignedIn(false);
    qc.clear();
    await qc.invalidateQueries({ queryKey: ['session'] });
  };
}

export type { Settings };
