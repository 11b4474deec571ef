import { lazy, Suspense } from 'react';
import { useCurrentUser } from '../auth/auth.hooks';
import { AccountButton } from './account-button';

// The dropdown machinery (popover positioning, focus trap) is about 30 KB gzipped; the header paints
// with the plain trigger and the menu arrives right after, off the critical path.
const AccountMenu = lazy(async () => ({ default: (await import('./account-menu')).AccountMenu }));

/** The signed-in person, with profile, keys and sign-out. */
export function UserMenu() {
  const user = useCurrentUser();
  return (
    <Suspense fallback={<AccountButton user={user} />}>
      <AccountMenu />
    </Suspense>
  );
}
