import { MantineProvider } from '@mantine/core';
import { render, screen } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { theme } from '../../app/theme';
import { StaleInputsNotice } from './stale-inputs';

const show = (job: Parameters<typeof StaleInputsNotice>[0]['job']) =>
  render(
    <MantineProvider theme={theme}>
      <StaleInputsNotice job={job} />
    </MantineProvider>,
  );

describe('StaleInputsNotice', () => {
  it('tells a completed job whose inputs were ingested again to rerun', () => {
    show({ status: 'completed', inputs_changed_at: '2026-11-23T09:30:00.000Z' });
    expect(screen.getByText('The inputs changed after this run')).toBeTruthy();
    expect(screen.getByText(/Rerun the job to reconcile the current records/)).toBeTruthy();
  });

  it('says nothing while the results are current or the job is running again', () => {
    show({ status: 'completed', inputs_changed_at: null });
    show({ status: 'running', inputs_changed_at: '2026-11-23T09:30:00.000Z' });
    expect(screen.queryByText('The inputs changed after this run')).toBeNull();
  });
});
