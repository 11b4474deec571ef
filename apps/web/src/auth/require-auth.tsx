import { Center, Loader } from '@mantine/core';
import { Navigate, Outlet, useLocation } from 'react-router';
import { ErrorState } from '../components/error-state';
import { useMe } from './auth.hooks';

/** Renders the child routes for a signed-in person; everyone else goes to sign-in and comes back after. */
export function RequireAuth() {
  const me = useMe();
  const location = useLocation();
  if (me.isPending) {
    return (
      <Center h="100vh">
        <Loader size="sm" aria-label="Loading your session" />
      </Center>
    );
  }
  if (me.isError) {
    return (
      <Center h="100vh" p="md">
        <ErrorState error={me.error} onRetry={() => void me.refetch()} />
      </Center>
    );
  }
  if (me.data === null) {
    const next = `${location.pathname}${location.search}`;
    const search = next === '/' ? '' : `?next=${encodeURIComponent(next)}`;
    return <Navigate to={`/sign-in${search}`} replace />;
  }
  return <Outlet />;
}

/** Child routes only for admins; others see why they cannot, not a blank page. */
export function RequireAdmin() {
  const me = useMe();
  if (me.data?.role !== 'admin') {
    return (
      <ErrorState
        title="Administrators only"
        message="This page is for administrators. Ask an administrator if you need access."
      />
    );
  }
  return <Outlet />;
}
