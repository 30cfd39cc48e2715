import { useQuery } from '@tanstack/react-query';
import { lazy, Suspense } from 'react';
import { Navigate, Outlet, useLocation } from 'react-router';
import { PageError, PageLoading } from '../components/PageState';
import { whoamiQuery } from '../features/session/api';
import { ActingOrgProvider } from './acting-org';

// Rarely shown (a password someone else chose), so loaded only then.
const ChangePasswordPage = lazy(() => import('../features/session/ChangePasswordPage').then((m) => ({ default: m.ChangePasswordPage })));

export function RequireAuth() {
  const { data: me, isPending, error, refetch } = useQuery(whoamiQuery);
  const location = useLocation();
  if (isPending) return <PageLoading label="Loading your session" />;
  if (error) return <PageError error={error} retry={() => void refetch()} />;
  if (!me) return <Navigate to="/signin" replace state={{ from: location.pathname }} />;
  // Nothing else works until then: the server refuses every other call of this session.
  if (me.passwordChangeRequired) {
    return (
      <Suspense fallback={<PageLoading label="Loading" />}>
        <ChangePasswordPage userName={me.userName} />
      </Suspense>
    );
  }
  return (
    <ActingOrgProvider key={me.userId} homeOrgId={me.orgId}>
      <Outlet />
    </ActingOrgProvider>
  );
}
