import { Alert, Button, Group, Menu, Modal, Progress, Select, Stack, Text, Textarea } from '@mantine/core';
import { Check, ChevronDown, Unlink, X } from 'lucide-react';
import type { ReactNode } from 'react';
import { useState } from 'react';
import { useMembers } from '../../queries/projects.queries';
import { STATUS_OPTIONS, WRITE_OFF_CODES } from './exception-drawer';

interface BulkFrameProps {
  count: number;
  progress: { done: number; total: number } | null;
  problems: string[];
  onDismiss: () => void;
  onClear: () => void;
  children: ReactNode;
}

/** The bar above a grid while rows are selected: count, actions, progress and what failed. */
function BulkFrame({ count, progress, problems, onDismiss, onClear, children }: BulkFrameProps) {
  return (
    <Stack gap="xs">
      {problems.length > 0 && (
        <Alert color="yellow" title="Some rows were not changed" withCloseButton onClose={onDismiss}>
          <Stack gap={4}>
            {problems.map((problem) => (
              <Text size="sm" key={problem}>
                {problem}
              </Text>
            ))}
          </Stack>
        </Alert>
      )}
      {(count > 0 || progress !== null) && (
        <Group justify="space-between" className="recon-bulk-bar" role="region" aria-label="Bulk actions">
          <Group gap="sm">
            <Text size="sm" fw={600}>
              {count.toLocaleString()} selected
            </Text>
            <Button size="compact-sm" variant="subtle" onClick={onClear} disabled={progress !== null}>
              Clear
            </Button>
          </Group>
          {progress === null ? (
            <Group gap="xs">{children}</Group>
          ) : (
            <Stack gap={2} miw={240}>
              <Progress
                value={progress.total === 0 ? 0 : (100 * progress.done) / progress.total}
                aria-label="Bulk action progress"
              />
              <Text size="xs" c="dimmed">
                {progress.done.toLocaleString()} of {progress.total.toLocaleString()} sent
              </Text>
            </Stack>
          )}
        </Group>
      )}
    </Stack>
  );
}

/** Asks for the reason the server requires to break matches. */
export function ReasonModal(props: {
  opened: boolean;
  title: string;
  action: string;
  onClose: () => void;
  onSubmit: (reason: string) => void;
}) {
  const [reason, setReason] = useState('');
  return (
    <Modal opened={props.opened} onClose={props.onClose} title={props.title}>
      <form
        onSubmit={(event) => {
          event.preventDefault();
          if (reason.trim() === '') return;
          props.onSubmit(reason.trim());
          setReason('');
        }}
      >
        <Stack>
          <Textarea
            label="Reason"
            required
            autosize
            minRows={2}
            data-autofocus
            value={reason}
            onChange={(event) => {
              setReason(event.currentTarget.value);
            }}
          />
          <Group justify="flex-end">
            <Button variant="default" onClick={props.onClose}>
              Cancel
            </Button>
            <Button type="submit" disabled={reason.trim() === ''}>
              {props.action}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}

export interface MatchBulkBarProps extends Omit<BulkFrameProps, 'children'> {
  onConfirm: () => void;
  onReject: () => void;
  onUnmatch: () => void;
  /** Suggested matches can be confirmed or rejected; confirmed ones only unmatched. */
  canDecide: boolean;
}

export function MatchBulkBar({ onConfirm, onReject, onUnmatch, canDecide, ...frame }: MatchBulkBarProps) {
  return (
    <BulkFrame {...frame}>
      {canDecide && (
        <>
          <Button
            size="compact-sm"
            color="teal"
            leftSection={<Check size={14} aria-hidden />}
            onClick={onConfirm}
          >
            Confirm (c)
          </Button>
          <Button
            size="compact-sm"
            color="red"
            variant="light"
            leftSection={<X size={14} aria-hidden />}
            onClick={onReject}
          >
            Reject (r)
          </Button>
        </>
      )}
      <Button
        size="compact-sm"
        variant="default"
        leftSection={<Unlink size={14} aria-hidden />}
        onClick={onUnmatch}
      >
        Unmatch (u)
      </Button>
    </BulkFrame>
  );
}

export interface ExceptionBulkBarProps extends Omit<BulkFrameProps, 'children'> {
  projectId: string;
  onStatus: (status: 'open' | 'investigating' | 'resolved') => void;
  onAssign: (assigneeId: string | null) => void;
  onWriteOff: (code: string, reason: string) => void;
}

export function ExceptionBulkBar({
  projectId,
  onStatus,
  onAssign,
  onWriteOff,
  ...frame
}: ExceptionBulkBarProps) {
  const members = useMembers(projectId);
  const [isWritingOff, setWritingOff] = useState(false);
  const [code, setCode] = useState<string | null>(null);
  const [reason, setReason] = useState('');
  const assignees = [
    { value: '', label: 'Nobody' },
    ...(members.data ?? []).map((member) => ({ value: member.user_id, label: member.name || member.email })),
  ];
  return (
    <BulkFrame {...frame}>
      <Menu position="bottom-end">
        <Menu.Target>
          <Button size="compact-sm" variant="default" rightSection={<ChevronDown size={14} aria-hidden />}>
            Set status
          </Button>
        </Menu.Target>
        <Menu.Dropdown>
          {STATUS_OPTIONS.map((option) => (
            <Menu.Item
              key={option.value}
              onClick={() => {
                onStatus(option.value as 'open' | 'investigating' | 'resolved');
              }}
            >
              {option.label}
            </Menu.Item>
          ))}
        </Menu.Dropdown>
      </Menu>
      <Select
        size="xs"
        w={180}
        aria-label="Assign selected to"
        placeholder="Assign to…"
        data={assignees}
        value={null}
        onChange={(value) => {
          if (value !== null) onAssign(value === '' ? null : value);
        }}
      />
      <Button
        size="compact-sm"
        variant="default"
        onClick={() => {
          setWritingOff(true);
        }}
      >
        Write off…
      </Button>
      <Modal
        opened={isWritingOff}
        onClose={() => {
          setWritingOff(false);
        }}
        title={`Write off ${String(frame.count)} selected`}
      >
        <form
          onSubmit={(event) => {
            event.preventDefault();
            if (code === null || reason.trim() === '') return;
            onWriteOff(code, reason.trim());
            setWritingOff(false);
            setReason('');
          }}
        >
          <Stack>
            <Select label="Reason code" data={WRITE_OFF_CODES} value={code} onChange={setCode} required />
            <Textarea
              label="Explanation"
              required
              autosize
              minRows={2}
              value={reason}
              onChange={(event) => {
                setReason(event.currentTarget.value);
              }}
            />
            <Group justify="flex-end">
              <Button type="submit" disabled={code === null || reason.trim() === ''}>
                Write off
              </Button>
            </Group>
          </Stack>
        </form>
      </Modal>
    </BulkFrame>
  );
}
