/** Where to go after sign-in: only a path on this site, so a crafted link cannot send people elsewhere. */
export function safeNextPath(next: string | null): string {
  if (
    !next?.startsWith('/') ||
    next.startsWith('//') ||
    next.startsWith('/\\') ||
    next.startsWith('/sign-in')
  ) {
    return '/dashboard';
  }
  return next;
}
