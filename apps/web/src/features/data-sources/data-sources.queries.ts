import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { DataSourceView, MappingPreview, PreviewView, RowErrorSummary } from '@recon/shared';
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

/** A page of the row-error report. */
export interface RowErrorPage {
  items: RowErrorView[];
  next_after: number | null;
  total: number;
}

/** Filters of the row-error report (exact code and/or column). */
export interface RowErrorFilter {
  code?: string | undefined;
  column?: string | undefined;
}

// Keys that depend on the ingested content carry `updated_at`: a re-ingestion makes them new queries.
export const dataSourceKeys = {
  list: (projectId: string) => ['data-sources', 'list', projectId] as const,
  detail: (id: string) => ['data-sources', 'detail', id] as const,
  preview: (id: string, version: string) => ['data-sources', 'detail', id, 'preview', version] as const,
  errors: (id: string, version: string, filter: RowErrorFilter, after: number) =>
    ['data-sources', 'detail', id, 'errors', version, filter.code ?? '', filter.column ?? '', after] as const,
  errorSummary: (id: string, version: string) =>
    ['data-sources', 'detail', id, 'error-summary', version] as const,
  mappingPreview: (id: string, version: string, mapping: string) =>
    ['data-sources', 'detail', id, 'mapping-preview', version, mapping] as const,
};

const path = (id: string, rest = '') => `/api/data-sources/${encodeURIComponent(id)}${rest}`;

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

/** The first raw rows, parsed records and row errors of a ready data source. */
export function usePreview(source: Pick<DataSourceView, 'id' | 'updated_at'>, isEnabled: boolean) {
  return useQuery({
    queryKey: dataSourceKeys.preview(source.id, source.updated_at),
    queryFn: ({ signal }) =>
      api.get<PreviewView>(path(source.id, '/preview'), { query: { limit: 50 }, signal }),
    enabled: isEnabled,
  });
}

/** One page of row errors after `after` (keyset), filtered. */
export function useRowErrors(
  source: Pick<DataSourceView, 'id' | 'updated_at'>,
  filter: RowErrorFilter,
  after: number,
  limit: number,
  isEnabled: boolean,
) {
  return useQuery({
    queryKey: dataSourceKeys.errors(source.id, source.updated_at, filter, after),
    queryFn: ({ signal }) =>
      api.get<RowErrorPage>(path(source.id, '/errors'), {
        query: { after, limit, code: filter.code, column: filter.column },
        signal,
      }),
    enabled: isEnabled,
    placeholderData: keepPreviousData,
  });
}

/** Row-error counts by code and column (for the banner and the report's filters). */
export function useRowErrorSummary(source: Pick<DataSourceView, 'id' | 'updated_at'>, isEnabled: boolean) {
  return useQuery({
    queryKey: dataSourceKeys.errorSummary(source.id, source.updated_at),
    queryFn: ({ signal }) => api.get<RowErrorSummary>(path(source.id, '/errors/summary'), { signal }),
    enabled: isEnabled,
  });
}

/** Where the browser downloads the (filtered) error report as CSV; the session cookie authorises it. */
export function rowErrorsCsvUrl(id: string, filter: RowErrorFilter): string {
  const query = new URLSearchParams();
  if (filter.code !== undefined) query.set('code', filter.code);
  if (filter.column !== undefined) query.set('column', filter.column);
  const search = query.toString();
  return `${path(id, '/errors.csv')}${search === '' ? '' : `?${search}`}`;
}

/**
 * The stored first rows read by the server with a mapping being edited (not saved). `mappingJson` is
 * the mapping as JSON text, already debounced by the caller; null skips the request.
 */
export function useMappingPreview(
  source: Pick<DataSourceView, 'id' | 'updated_at'>,
  mappingJson: string | null,
) {
  return useQuery({
    queryKey: dataSourceKeys.mappingPreview(source.id, source.updated_at, mappingJson ?? ''),
    queryFn: ({ signal }) =>
      api.post<MappingPreview>(
        path(source.id, '/mapping/preview'),
        { mapping: JSON.parse(mappingJson ?? '{}') as unknown },
        { query: { limit: 8 }, signal },
      ),
    enabled: mappingJson !== null,
    placeholderData: keepPreviousData,
    staleTime: Infinity,
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
