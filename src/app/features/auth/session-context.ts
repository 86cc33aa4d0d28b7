import { createContext } from 'react';
import type { Me, SignInBody } from '#shared/schemas/auth.ts';

export type SessionState =
  | { status: 'loading' }
  | { status: 'signed-out'; reason: 'none' | 'expired' | 'wiped' }
  | { status: 'signed-in'; me: Me };

export interface SessionApi {
  state: SessionState;
  signIn: (body: Omit<SignInBody, 'deviceId'>) => Promise<void>;
  signOut: () => Promise<void>;
  /** After the user changed their own password: the server's fresh view of them (no longer "must change"). */
  refresh: () => Promise<void>;
}

export const SessionContext = createContext<SessionApi | null>(null);
