import { useQuery, useQueryClient } from '@tanstack/react-query';
import { createContext, useCallback, useContext, useMemo, useState, type ReactNode } from 'react';
import { setActingOrg } from '../lib/api';
import { sessionKeys, whoamiQuery } from '../features/session/api';

interface ActingOrg {
  /** The organization every management call acts on (x-zitadel-orgid). */
  orgId: string;
  /** The signed-in user's own organization. */
  homeOrgId: string;
  homeOrgName: string;
  userId: string;
  /** Only the instance owner may act in other organizations, create them and switch between them. */
  instanceOwner: boolean;
  switchTo: (orgId: string) => void;
}

const Ctx = createContext<ActingOrg | null>(null);
const STORAGE_KEY = 'tessera.actingOrg';

/**
 * The instance owner can switch organizations (remembered for the browser tab); everyone else
 * acts on their own, whatever an earlier user of the tab left behind, since the server would
 * refuse any other organization anyway.
 */
export function ActingOrgProvider({ homeOrgId, children }: { homeOrgId: string; children: ReactNode }) {
  const qc = useQueryClient();
  const { data: me } = useQuery(whoamiQuery);
  const instanceOwner = me?.instanceOwner ?? false;
  const userId = me?.userId ?? '';
  const homeOrgName = me?.orgName ?? '';
  const [chosen, setChosen] = useState(() => sessionStorage.getItem(STORAGE_KEY));
  const orgId = (instanceOwner && chosen) || homeOrgId;
  setActingOrg(orgId);
  const switchTo = useCallback(
    (id: string) => {
      if (id === homeOrgId) sessionStorage.removeItem(STORAGE_KEY);
      else sessionStorage.setItem(STORAGE_KEY, id);
      setActingOrg(id);
      setChosen(id);
      // Cached pages belong to the previous organization.
      qc.removeQueries({ predicate: (q) => q.queryKey[0] !== sessionKeys.all[0] });
    },
    [qc, homeOrgId],
  );
  const value = useMemo(
    () => ({ orgId, homeOrgId, homeOrgName, userId, instanceOwner, switchTo }),
    [orgId, homeOrgId, homeOrgName, userId, instanceOwner, switchTo],
  );
  return <Ctx.Provider value={value}>{children}</Ctx.Provider>;
}

export function useActingOrg(): ActingOrg {
  const v = useContext(Ctx);
  if (!v) throw new Error('useActingOrg outside ActingOrgProvider');
  return v;
}

export function forgetActingOrg(): void {
  sessionStorage.removeItem(STORAGE_KEY);
  setActingOrg(undefined);
}
