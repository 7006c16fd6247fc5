// The session every page reads: who is calling, in which workspace, and whether it may change anything.
import { createContext } from 'preact';
import { useContext } from 'preact/hooks';
import type { Session } from './api/session';

export interface SessionState {
  session: Session;
  /** The workspace the pages show (an admin may switch). */
  workspaceId: string;
  /** A read-only portal link: every button that changes something is hidden. */
  canWrite: boolean;
}

export const SessionContext = createContext<SessionState | undefined>(undefined);

export function useSession(): SessionState {
  const state = useContext(SessionContext);
  if (!state) throw new Error('useSession outside a logged-in page');
  return state;
}
