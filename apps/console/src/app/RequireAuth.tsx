import { useQuery } from '@tanstack/react-query';
import { Navigate, Outlet, useLocation } from 'react-router';
import { PageError, PageLoading } from '../components/PageState';
import { whoamiQuery } from '../features/session/api';
import { ChangePasswordPage } from '../features/session/ChangePasswordPage';
import { ActingOrgProvider } from './acting-org';

export function RequireAuth() {
  const { data: me, isPending, error, refetch } = useQuery(whoamiQuery);
  const location = useLocation();
  if (isPending) return <PageLoading label="Loading your session" />;
  if (error) return <PageError error={error} retry={() => void refetch()} />;
  if (!me) return <Navigate to="/signin" replace state={{ from: location.pathname }} />;
  // Nothing else works until then: the server refuses every other call of this session.
  if (me.passwordChangeRequired) return <ChangePasswordPage userName={me.userName} />;
  return (
    <ActingOrgProvider key={me.userId} homeOrgId={me.orgId}>
      <Outlet />
    </ActingOrgProvider>
  );
}
