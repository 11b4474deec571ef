import { createApiClient } from './api-client';
import { queryClient } from './query-client';
import { meQueryKey } from '../auth/auth.keys';

/** The app's API client: same origin, cookies, one refresh on 401, back to sign-in when that fails. */
export const api = createApiClient({
  onSessionExpired: () => {
    queryClient.setQueryData(meQueryKey, null);
  },
});
