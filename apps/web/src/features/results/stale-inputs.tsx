import { Alert, Text } from '@mantine/core';
import type { JobView } from '@recon/shared';
import { formatDateTime } from '../../components/format';

/**
 * Says so when a data source the job's last run read was ingested again since (its column mapping changed):
 * the results describe the records as they were, the grids show them as they are now. Nothing otherwise.
 */
export function StaleInputsNotice({ job }: { job: Pick<JobView, 'status' | 'inputs_changed_at'> }) {
  if (job.status !== 'completed' || job.inputs_changed_at === null) return null;
  return (
    <Alert color="yellow" variant="light" title="The inputs changed after this run">
      <Text size="sm">
        A data source this job reads was ingested again on {formatDateTime(job.inputs_changed_at)}. These
        results were reconciled on its earlier records; the records shown are the current ones. Rerun the job
        to reconcile the current records.
      </Text>
    </Alert>
  );
}
