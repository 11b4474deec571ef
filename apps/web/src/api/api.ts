import { createApiClient } from './api-client';
import { queryClient } from './query-client';
import { meQueryKey } from '../auth/auth.keys';

/** The app's API client: same origin, cookies, CSRF token, one refresh on 401, back to sign-in when that fails. */
export const api = createApiClient({
  // Cookie-authenticated requests that change state must carry the double-submit CSRF token.
  csrfUrl: '/api/auth/csrf',
  onSessionExpired: () => {
    queryClient.setQueryData(meQueryKey, null);
  },
});
