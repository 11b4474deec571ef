import { Button, EmptyState } from '@mantine/core';
import { Compass } from 'lucide-react';
import { Link } from 'react-router';

/** Any address inside the app that matches no page. */
export function NotFoundPage() {
  return (
    <EmptyState
      py={64}
      withIndicatorBackground
      icon={<Compass size={22} aria-hidden />}
      title="Page not found"
      description="The address does not match any page. It may have moved, or the link may be mistyped."
    >
      <EmptyState.Actions>
        <Button component={Link} to="/projects">
          Go to projects
        </Button>
      </EmptyState.Actions>
    </EmptyState>
  );
}
