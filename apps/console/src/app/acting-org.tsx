import { useQueryClient } from '@tanstack/react-query';
import { createContext, useCallback, useContext, useMemo, useState, type ReactNode } from 'react';
import { setActingOrg } from '../lib/api';
import { sessionKeys } from '../features/session/api';

interface ActingOrg {
  /** The organization every management call acts on (x-zitadel-orgid). */
  orgId: string;
  switchTo: (orgId: string) => void;
}

const Ctx = createContext<ActingOrg | null>(null);
const STORAGE_KEY = 'tessera.actingOrg';

/** The instance owner can switch organizations; everyone else acts on their own. */
export function ActingOrgProvider({ homeOrgId, children }: { homeOrgId: string; children: ReactNode }) {
  const qc = useQueryClient();
  const [orgId, setOrgId] = useState(() => sessionStorage.getItem(STORAGE_KEY) ?? homeOrgId);
  setActingOrg(orgId);
  const switchTo = useCallback(
    (id: string) => {
      sessionStorage.setItem(STORAGE_KEY, id);
      setActingOrg(id);
      setOrgId(id);
      // Cached pages belong to the previous organization.
      qc.removeQueries({ predicate: (q) => q.queryKey[0] !== sessionKeys.all[0] });
    },
    [qc],
  );
  const value = useMemo(() => ({ orgId, switchTo }), [orgId, switchTo]);
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
