import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { DataSourceView, RecordView } from '@recon/shared';
import { api } from '../../api/api';
import { uploadFile } from './upload-file';
import type { UploadProgress } from './upload-file';

export interface RowErrorView {
  seq: number;
  row: number;
  column: string;
  raw: string | null;
  code: string;
  message: string;
}

export interface PreviewView {
  records: RecordView[];
  errors: Omit<RowErrorView, 'seq'>[];
}

export const dataSourceKeys = {
  list: (projectId: string) => ['data-sources', 'list', projectId] as const,
  detail: (id: string) => ['data-sources', 'detail', id] as const,
  preview: (id: string) => ['data-sources', 'detail', id, 'preview'] as const,
  errors: (id: string) => ['data-sources', 'detail', id, 'errors'] as const,
};

const POLL_MS = 1000;

/** True while the server is still reading the file. */
export function isIngesting(source: Pick<DataSourceView, 'status'>): boolean {
  return source.status === 'queued' || source.status === 'ingesting';
}

/** A project's uploaded files; polls while any of them is still being ingested. */
export function useDataSources(projectId: string) {
  return useQuery({
    queryKey: dataSourceKeys.list(projectId),
    queryFn: ({ signal }) =>
      api.get<{ items: DataSourceView[] }>(`/api/projects/${encodeURIComponent(projectId)}/data-sources`, {
        signal,
      }),
    select: (data) => data.items,
    refetchInterval: (query) => (query.state.data?.items.some(isIngesting) ? POLL_MS : false),
  });
}

/** One data source; polls until ingestion has finished. */
export function useDataSource(id: string) {
  return useQuery({
    queryKey: dataSourceKeys.detail(id),
    queryFn: ({ signal }) =>
      api.get<DataSourceView>(`/api/data-sources/${encodeURIComponent(id)}`, { signal }),
    refetchInterval: (query) => (query.state.data && isIngesting(query.state.data) ? POLL_MS : false),
  });
}

/** The first parsed rows and row errors of a ready data source. */
export function usePreview(id: string, isEnabled: boolean) {
  return useQuery({
    queryKey: dataSourceKeys.preview(id),
    queryFn: ({ signal }) =>
      api.get<PreviewView>(`/api/data-sources/${encodeURIComponent(id)}/preview`, {
        query: { limit: 50 },
        signal,
      }),
    enabled: isEnabled,
  });
}

/** The first page of row errors (the server pages them by `after`). */
export function useRowErrors(id: string, isEnabled: boolean) {
  return useQuery({
    queryKey: dataSourceKeys.errors(id),
    queryFn: ({ signal }) =>
      api.get<{ items: RowErrorView[]; next_after: number | null; total: number }>(
        `/api/data-sources/${encodeURIComponent(id)}/errors`,
        { query: { limit: 200 }, signal },
      ),
    enabled: isEnabled,
  });
}

/** Uploads a file with progress; ingestion is queued by the server. */
export function useUploadDataSource(projectId: string, onProgress: (progress: UploadProgress) => void) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (file: File) =>
      uploadFile<DataSourceView>(
        `/api/projects/${encodeURIComponent(projectId)}/data-sources`,
        file,
        onProgress,
      ),
    onSuccess: () => {
      void queryClient.invalidateQueries({ queryKey: dataSourceKeys.list(projectId) });
    },
  });
}
