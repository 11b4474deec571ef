import { Alert, Group, Progress, Stack, Text } from '@mantine/core';
import { Dropzone } from '@mantine/dropzone';
import '@mantine/dropzone/styles.css';
import { notifications } from '@mantine/notifications';
import { Copy, FileUp, Upload, X } from 'lucide-react';
import { useState } from 'react';
import { isApiError } from '../../api/api-error';
import { ErrorAlert } from '../../components/error-alert';
import { useUploadDataSource } from './data-sources.queries';
import type { UploadProgress } from './upload-file';
import { formatBytes } from './data-source-status';

/**
 * Drag a bank statement or ledger export here; shows the real upload progress, then hands over to ingestion.
 * There is no MIME filter: bank statements (.sta, .940, .qif, .ofx, .bai) have no registered type, so a
 * browser filter would silently drop them. The server decides by content and answers 415 with a reason.
 */
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
  const duplicate = isApiError(upload.error) && upload.error.code === 'DUPLICATE_FILE' ? upload.error : null;

  return (
    <Stack gap="sm">
      <Dropzone
        onDrop={onDrop}
        multiple={false}
        onReject={(rejections) => {
          notifications.show({
            color: 'red',
            title: 'Nothing was uploaded',
            message:
              rejections.length > 1
                ? 'Drop one file at a time.'
                : (rejections[0]?.errors[0]?.message ?? 'The file was not accepted.'),
          });
        }}
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
              CSV, Excel, JSON, Parquet, CAMT, MT940, OFX, QIF or BAI2. Columns are detected; you can check
              the mapping afterwards.
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
      {duplicate !== null ? (
        <Alert
          color="yellow"
          variant="light"
          role="alert"
          icon={<Copy size={18} aria-hidden />}
          title="This file was already uploaded to this project"
        >
          <Text size="sm">{duplicate.detail}</Text>
          <Text size="sm" mt={4}>
            Nothing was added. Open the earlier upload in the list below, or upload a different file.
          </Text>
        </Alert>
      ) : (
        upload.error !== null && <ErrorAlert error={upload.error} title="The upload failed" />
      )}
    </Stack>
  );
}
