import { Badge, Button, Divider, Drawer, Group, Paper, Select, Stack, Text, Textarea } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useState } from 'react';
import { ErrorAlert } from '../../components/error-alert';
import { formatDateTime } from '../../components/format';
import { useMembers } from '../../queries/projects.queries';
import type { ExceptionAction } from './exceptions.queries';
import { exceptionKey, useAddComment, useExceptionAction, useExceptionComments } from './exceptions.queries';
import { formatMinor } from './money';
import type { ExceptionView } from './results.queries';

/** Reason codes finance teams write differences off under (the server takes any short code). */
export const WRITE_OFF_CODES = [
  { value: 'bank_fee', label: 'Bank fee' },
  { value: 'rounding', label: 'Rounding' },
  { value: 'fx_difference', label: 'FX difference' },
  { value: 'duplicate', label: 'Duplicate entry' },
  { value: 'timing', label: 'Timing (next period)' },
  { value: 'other', label: 'Other' },
];

export const STATUS_OPTIONS = [
  { value: 'open', label: 'Open' },
  { value: 'investigating', label: 'Investigating' },
  { value: 'resolved', label: 'Resolved' },
];

function Comments({ jobId, targetKey }: { jobId: string; targetKey: string }) {
  const comments = useExceptionComments(jobId, targetKey);
  const add = useAddComment(jobId);
  const [body, setBody] = useState('');
  return (
    <Stack gap="xs">
      <Text fw={600} size="sm">
        Comments
      </Text>
      {comments.isError && <ErrorAlert error={comments.error} />}
      {comments.data?.length === 0 && (
        <Text size="sm" c="dimmed">
          No comments yet.
        </Text>
      )}
      <Stack gap={6} aria-label="Comments" role="list">
        {comments.data?.map((comment) => (
          <Paper key={comment.id} withBorder p="xs" role="listitem">
            <Text size="sm">{comment.body}</Text>
            <Text size="xs" c="dimmed">
              {formatDateTime(comment.created_at)}
            </Text>
          </Paper>
        ))}
      </Stack>
      {add.isError && <ErrorAlert error={add.error} />}
      <Textarea
        label="Add a comment"
        autosize
        minRows={2}
        value={body}
        onChange={(e) => {
          setBody(e.currentTarget.value);
        }}
      />
      <Group justify="flex-end">
        <Button
          size="xs"
          disabled={body.trim() === ''}
          loading={add.isPending}
          onClick={() => {
            add.mutate(
              { target_key: targetKey, body: body.trim() },
              {
                onSuccess: () => {
                  setBody('');
                },
              },
            );
          }}
        >
          Post comment
        </Button>
      </Group>
    </Stack>
  );
}

interface ExceptionDrawerProps {
  projectId: string;
  jobId: string;
  exception: ExceptionView | null;
  canReview: boolean;
  onClose: () => void;
}

/** One unmatched record: why it is unmatched, its status, a write-off with a reason code, and comments. */
export function ExceptionDrawer({ projectId, jobId, exception, canReview, onClose }: ExceptionDrawerProps) {
  const act = useExceptionAction(jobId);
  const members = useMembers(projectId);
  const memberOptions = (members.data ?? []).map((member) => ({
    value: member.user_id,
    label: `${member.name} (${member.email})`,
  }));
  const [code, setCode] = useState<string | null>(null);
  const [reason, setReason] = useState('');

  const close = () => {
    act.reset();
    setCode(null);
    setReason('');
    onClose();
  };
  const run = (action: ExceptionAction, done: string) => {
    if (!exception) return;
    act.mutate(
      { exception, action },
      {
        onSuccess: () => {
          notifications.show({ color: 'teal', message: done });
          close();
        },
      },
    );
  };

  const record = exception?.record;
  const isOpen = exception !== null && exception.status !== 'written_off' && exception.status !== 'matched';
  return (
    <Drawer
      opened={exception !== null}
      onClose={close}
      position="right"
      size="md"
      title={exception ? `Unmatched ${exception.side} · row ${String(exception.row)}` : ''}
    >
      {exception && record && (
        <Stack gap="md">
          <Paper withBorder p="sm">
            <Group justify="space-between" wrap="nowrap">
              <Text ff="monospace" size="sm">
                {record.reference ?? '—'}
              </Text>
              <Text fw={600} className="num">
                {formatMinor(record.amount_minor, record.scale, record.currency)}
              </Text>
            </Group>
            <Text size="xs" c="dimmed">
              {record.booking_date ?? 'no date'}
              {record.counterparty ? ` · ${record.counterparty}` : ''}
            </Text>
            {record.description && <Text size="sm">{record.description}</Text>}
            <Text size="xs" mt={6}>
              Why unmatched: {exception.reason}
            </Text>
          </Paper>
          <Group gap="xs">
            <Text size="sm">Status</Text>
            <Badge variant="dot" color={exception.status === 'open' ? 'orange' : 'gray'} tt="none">
              {exception.status.replace('_', ' ')}
            </Badge>
            {exception.write_off_code && (
              <Badge variant="light" color="gray">
                {exception.write_off_code}
              </Badge>
            )}
          </Group>
          {act.isError && <ErrorAlert error={act.error} shownFields={['code', 'reason']} />}
          {canReview && isOpen && (
            <>
              <Select
                label="Set status"
                data={STATUS_OPTIONS}
                value={exception.status}
                allowDeselect={false}
                onChange={(value) => {
                  if (value === 'open' || value === 'investigating' || value === 'resolved')
                    run({ type: 'status', status: value }, `Marked ${value}`);
                }}
              />
              <Select
                label="Assigned to"
                placeholder="Nobody"
                data={memberOptions}
                value={exception.assignee_id}
                clearable
                searchable
                onChange={(value) => {
                  run({ type: 'assign', assignee_id: value }, value === null ? 'Unassigned' : 'Assigned');
                }}
              />
              <Divider label="Write off" labelPosition="left" />
              <Select label="Reason code" data={WRITE_OFF_CODES} value={code} onChange={setCode} />
              <Textarea
                label="Explanation"
                placeholder="Monthly account fee, agreed with the bank"
                autosize
                minRows={2}
                value={reason}
                onChange={(e) => {
                  setReason(e.currentTarget.value);
                }}
              />
              <Group justify="flex-end">
                <Button
                  color="orange"
                  disabled={code === null || reason.trim() === ''}
                  loading={act.isPending}
                  onClick={() => {
                    if (code !== null) run({ type: 'write-off', code, reason: reason.trim() }, 'Written off');
                  }}
                >
                  Write off
                </Button>
              </Group>
            </>
          )}
          <Divider />
          <Comments jobId={jobId} targetKey={exceptionKey(exception)} />
        </Stack>
      )}
    </Drawer>
  );
}
