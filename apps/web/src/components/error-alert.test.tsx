import { MantineProvider } from '@mantine/core';
import { render, screen } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { ApiError, networkError } from '../api/api-error';
import { ErrorAlert } from './error-alert';

function renderAlert(error: unknown, shownFields?: string[]) {
  render(
    <MantineProvider>
      <ErrorAlert error={error} shownFields={shownFields} />
    </MantineProvider>,
  );
  return screen.getByRole('alert');
}

const validation = new ApiError({
  status: 400,
  code: 'VALIDATION_FAILED',
  title: 'The request is not valid',
  detail: 'The request is not valid',
  requestId: 'req-42',
  fieldErrors: [
    { path: 'email', message: 'Taken' },
    { path: 'settings.timezone', message: 'Unknown zone' },
  ],
});

describe('ErrorAlert', () => {
  it('shows the server’s title, detail and request reference', () => {
    const alert = renderAlert(
      new ApiError({
        status: 409,
        code: 'LAST_OWNER',
        title: 'Conflict',
        detail: 'A project must keep one owner',
        requestId: 'r-1',
      }),
    );
    expect(alert.textContent).toContain('Conflict');
    expect(alert.textContent).toContain('A project must keep one owner');
    expect(alert.textContent).toContain('r-1');
  });

  it('lists only the field errors that no input shows', () => {
    const alert = renderAlert(validation, ['email']);
    expect(alert.textContent).toContain('settings.timezone: Unknown zone');
    expect(alert.textContent).not.toContain('Taken');
  });

  it('points at the highlighted inputs when every field error is shown under one', () => {
    const alert = renderAlert(validation, ['email', 'settings.timezone']);
    expect(alert.textContent).toContain('Please correct the highlighted fields.');
  });

  it('explains an unreachable server in plain words', () => {
    expect(renderAlert(networkError()).textContent).toContain('Could not reach the server');
  });

  it('never shows internals of an unexpected error', () => {
    const alert = renderAlert(new Error('TypeError: cannot read properties of undefined (reading "x")'));
    expect(alert.textContent).toContain('Something went wrong');
    expect(alert.textContent).not.toContain('undefined');
  });
});
