import { Alert, Text } from '@mantine/core';
import { CircleAlert, WifiOff } from 'lucide-react';
import { CLIENT_ERROR_CODES, isApiError } from '../api/api-error';

interface ErrorAlertProps {
  error: unknown;
  /** Inputs that already show their own message, so the alert does not repeat them. */
  shownFields?: readonly string[];
  title?: string;
}

/** Describes any error the way a person should read it: what happened, in the server's words. */
export function describeError(error: unknown): { title: string; detail: string; requestId?: string } {
  if (isApiError(error)) {
    const described: { title: string; detail: string; requestId?: string } = {
      title: error.title,
      detail: error.detail === error.title ? '' : error.detail,
    };
    if (error.requestId !== undefined) described.requestId = error.requestId;
    return described;
  }
  return {
    title: 'Something went wrong',
    detail: 'The app hit an unexpected problem. Reload the page and try again.',
  };
}

/** Inline error for a failed request: the server's problem detail, plus field errors no input shows. */
export function ErrorAlert({ error, shownFields = [], title }: ErrorAlertProps) {
  if (error === null || error === undefined) return null;
  const described = describeError(error);
  const leftover = isApiError(error) ? error.fieldErrors.filter((f) => !shownFields.includes(f.path)) : [];
  const allFieldsShown = isApiError(error) && error.fieldErrors.length > 0 && leftover.length === 0;
  const isOffline = isApiError(error) && error.code === CLIENT_ERROR_CODES.network;
  return (
    <Alert
      color="red"
      variant="light"
      role="alert"
      title={title ?? described.title}
      icon={isOffline ? <WifiOff size={18} aria-hidden /> : <CircleAlert size={18} aria-hidden />}
    >
      {allFieldsShown ? (
        <Text size="sm">Please correct the highlighted fields.</Text>
      ) : (
        described.detail && <Text size="sm">{described.detail}</Text>
      )}
      {leftover.length > 0 && (
        <ul style={{ margin: '4px 0 0', paddingLeft: 18 }}>
          {leftover.map((f) => (
            <li key={`${f.path}:${f.message}`}>
              <Text size="sm">
                {f.path ? <strong>{f.path}: </strong> : null}
                {f.message}
              </Text>
            </li>
          ))}
        </ul>
      )}
      {described.requestId && (
        <Text size="xs" c="dimmed" mt={6}>
          Reference:{' '}
          <span style={{ fontFamily: 'var(--mantine-font-family-monospace)' }}>{described.requestId}</span>
        </Text>
      )}
    </Alert>
  );
}
