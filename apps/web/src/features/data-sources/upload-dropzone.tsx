import { Group, Progress, Stack, Text } from '@mantine/core';
import { Dropzone } from '@mantine/dropzone';
import '@mantine/dropzone/styles.css';
import { notifications } from '@mantine/notifications';
import { FileUp, Upload, X } from 'lucide-react';
import { useState } from 'react';
import { isApiError } from '../../api/api-error';
import { ErrorAlert } from '../../components/error-alert';
import { useUploadDataSource } from './data-sources.queries';
import type { UploadProgress } from './upload-file';
import { formatBytes } from './data-source-status';

const ACCEPT = [
  'text/csv',
  'text/plain',
  'application/vnd.ms-excel',
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  'application/xml',
  'text/xml',
  'application/json',
];

/** Drag a bank statement or ledger export here; shows the real upload progress, then hands over to ingestion. */
export function UploadDropzone({ projectId }: { projectId: string }) {
  const [progress, setProgress] = useState<UploadProgress | null>(null);
  const [fileName, setFileName] = useState('');
  const upload = useUploadDataSource(projectId, setProgress);

  const onDrop = (files: File[]) => {
    const file = files[0];
    if (!file) return;
    setFileName(file.name);
    setProgress({ loaded: 0, total: file.size });
    upload.mutate(file, {
      onSuccess: (source) => {
        notifications.show({
          color: 'teal',
          title: 'File uploaded',
          message: `${source.name} is being read. Its rows appear when ingestion finishes.`,
        });
      },
      onSettled: () => {
        setProgress(null);
      },
    });
  };
  const percent = progress && progress.total > 0 ? Math.round((progress.loaded / progress.total) * 100) : 0;
  const isDuplicate = isApiError(upload.error) && upload.error.code === 'DUPLICATE_FILE';

  return (
    <Stack gap="sm">
      <Dropzone
        onDrop={onDrop}
        multiple={false}
        accept={ACCEPT}
        loading={upload.isPending}
        aria-label="Upload a file"
        radius="md"
      >
        <Group justify="center" gap="lg" mih={110} style={{ pointerEvents: 'none' }}>
          <Dropzone.Accept>
            <Upload size={36} aria-hidden />
          </Dropzone.Accept>
          <Dropzone.Reject>
            <X size={36} aria-hidden />
          </Dropzone.Reject>
          <Dropzone.Idle>
            <FileUp size={36} aria-hidden strokeWidth={1.5} />
          </Dropzone.Idle>
          <div>
            <Text size="md" fw={500}>
              Drop a bank statement or ledger export here, or click to choose
            </Text>
            <Text size="sm" c="dimmed" mt={4}>
              CSV, Excel, CAMT.053, MT940 or OFX. Columns are detected; you can check the mapping afterwards.
            </Text>
          </div>
        </Group>
      </Dropzone>
      {progress && (
        <Stack gap={4} aria-live="polite">
          <Group justify="space-between">
            <Text size="sm">Uploading {fileName}</Text>
            <Text size="sm" c="dimmed" className="num">
              {formatBytes(progress.loaded)} of {formatBytes(progress.total)} · {percent}%
            </Text>
          </Group>
          <Progress value={percent} aria-label="Upload progress" size="md" />
        </Stack>
      )}
      {upload.error !== null && (
        <ErrorAlert
          error={upload.error}
          title={isDuplicate ? 'This file was already uploaded' : 'The upload failed'}
        />
      )}
    </Stack>
  );
}
