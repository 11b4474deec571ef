/** Query key of the signed-in user (`null` when signed out). */
export const meQueryKey = ['auth', 'me'] as const;
