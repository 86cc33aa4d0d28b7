import { useContext } from 'react';
import { SessionContext, type SessionApi } from './session-context.ts';

export function useSession(): SessionApi {
  const ctx = useContext(SessionContext);
  if (!ctx) throw new Error('useSession outside SessionProvider');
  return ctx;
}
