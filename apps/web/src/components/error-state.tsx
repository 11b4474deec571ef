import { Button, EmptyState } from '@mantine/core';
import { CircleAlert } from 'lucide-react';
import { describeError } from './error-alert';

interface ErrorStateProps {
  error?: unknown;
  title?: string;
  message?: string;
  onRetry?: () => void;
}

/** A whole area that could not load: says why and offers to try again. */
export function ErrorState({ error, title, message, onRetry }: ErrorStateProps) {
  const described = describeError(error);
  return (
    <EmptyState
      py="xl"
      color="red"
      variant="light"
      icon={<CircleAlert size={22} aria-hidden />}
      title={title ?? described.title}
      description={message ?? (described.detail || described.title)}
      role="alert"
    >
      {onRetry && (
        <EmptyState.Actions>
          <Button variant="default" onClick={onRetry}>
            Try again
          </Button>
        </EmptyState.Actions>
      )}
    </EmptyState>
  );
}
