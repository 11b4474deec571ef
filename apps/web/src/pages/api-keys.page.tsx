import {
  Alert,
  Button,
  Code,
  CopyButton,
  EmptyState,
  Group,
  Modal,
  Select,
  Stack,
  Table,
  Text,
  TextInput,
} from '@mantine/core';
import type { ApiKeyView } from '@recon/shared';
import { nameSchema } from '@recon/shared';
import { Ban, Check, Copy, KeyRound, Plus, ShieldAlert } from 'lucide-react';
import { useState } from 'react';
import { z } from 'zod';
import { ConfirmModal } from '../components/confirm-modal';
import { ErrorAlert } from '../components/error-alert';
import { formatDate, formatDateTime } from '../components/format';
import { StatusBadge } from '../components/labels';
import { PageHeader } from '../components/page-header';
import { QueryTableCard } from '../components/query-table-card';
import { RowAction } from '../components/row-action';
import { useFormFields } from '../components/use-form-fields';
import { useApiKeys, useCreateApiKey, useRevokeApiKey } from '../queries/api-keys.queries';

const EXPIRY_OPTIONS = [
  { value: 'never', label: 'Never' },
  { value: '30', label: 'In 30 days' },
  { value: '90', label: 'In 90 days' },
  { value: '365', label: 'In 1 year' },
];

const keyFormSchema = z.object({ name: nameSchema });

function keyStatus(key: ApiKeyView, now: number): 'active' | 'revoked' | 'expired' {
  if (key.revoked_at) return 'revoked';
  if (key.expires_at && new Date(key.expires_at).getTime() <= now) return 'expired';
  return 'active';
}

function CreateKeyModal({ opened, onClose }: { opened: boolean; onClose: () => void }) {
  const create = useCreateApiKey();
  const form = useFormFields(keyFormSchema, { name: '', expiry: '90' }, create.error);
  const created = create.data;

  const close = () => {
    form.reset();
    create.reset();
    onClose();
  };

  const onSubmit = form.handleSubmit((data) => {
    const { expiry } = form.values;
    create.mutate(expiry === 'never' ? data : { ...data, expires_in_days: Number(expiry) });
  });

  return (
    <Modal
      opened={opened}
      onClose={close}
      title={created ? 'Copy your new API key' : 'New API key'}
      size="lg"
    >
      {created ? (
        <Stack gap="md">
          <Alert
            color="yellow"
            variant="light"
            icon={<ShieldAlert size={18} aria-hidden />}
            title="Shown only once"
          >
            Copy the key now and store it in your secrets manager. For your security it cannot be shown again;
            if you lose it, revoke it and create a new one.
          </Alert>
          <Group gap="xs" wrap="nowrap" align="stretch">
            <Code
              block
              style={{ flex: 1, wordBreak: 'break-all', whiteSpace: 'pre-wrap', fontSize: 13 }}
              data-testid="created-api-key"
            >
              {created.key}
            </Code>
            <CopyButton value={created.key} timeout={2000}>
              {({ copied, copy }) => (
                <Button
                  variant={copied ? 'light' : 'filled'}
                  color={copied ? 'teal' : undefined}
                  onClick={copy}
                  leftSection={copied ? <Check size={16} aria-hidden /> : <Copy size={16} aria-hidden />}
                  h="auto"
                >
                  {copied ? 'Copied' : 'Copy'}
                </Button>
              )}
            </CopyButton>
          </Group>
          <Text size="sm" c="dimmed">
            Send it as <Code>Authorization: Bearer &lt;key&gt;</Code>. It acts with your rights.
          </Text>
          <Group justify="flex-end">
            <Button onClick={close}>Done</Button>
          </Group>
        </Stack>
      ) : (
        <form onSubmit={onSubmit} noValidate>
          <Stack gap="md">
            {create.isError && <ErrorAlert error={create.error} shownFields={['name', 'expires_in_days']} />}
            <TextInput
              label="Name"
              description="Say which program uses it, so you know what breaks if you revoke it."
              placeholder="Nightly ERP import"
              {...form.input('name')}
              required
              data-autofocus
            />
            <Select
              label="Expires"
              data={EXPIRY_OPTIONS}
              value={form.values.expiry}
              onChange={(value) => {
                form.setValue('expiry', value ?? 'never');
              }}
              allowDeselect={false}
              error={form.errors.expires_in_days}
            />
            <Group justify="flex-end" gap="sm">
              <Button variant="default" onClick={close}>
                Cancel
              </Button>
              <Button type="submit" loading={create.isPending}>
                Create key
              </Button>
            </Group>
          </Stack>
        </form>
      )}
    </Modal>
  );
}

/** Keys that let programs call the API as the signed-in person. */
export function ApiKeysPage() {
  const keys = useApiKeys();
  const revoke = useRevokeApiKey();
  const [creating, setCreating] = useState(false);
  const [revoking, setRevoking] = useState<ApiKeyView | null>(null);
  const [now] = useState(() => Date.now());

  const newButton = (
    <Button
      leftSection={<Plus size={16} aria-hidden />}
      onClick={() => {
        setCreating(true);
      }}
    >
      New API key
    </Button>
  );

  return (
    <>
      <PageHeader
        title="API keys"
        description="Programs use API keys to call the REST API with your rights: imports, exports, scheduled jobs."
        actions={newButton}
      />
      <QueryTableCard
        query={keys}
        loadingLabel="Loading API keys"
        minWidth={720}
        empty={
          <EmptyState
            py={48}
            withIndicatorBackground
            icon={<KeyRound size={22} aria-hidden />}
            title="No API keys"
            description="Create a key for each program that talks to the platform, so each can be revoked on its own."
          >
            <EmptyState.Actions>{newButton}</EmptyState.Actions>
          </EmptyState>
        }
      >
        {(rows) => (
          <Table className="recon-table" aria-label="API keys">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Name</Table.Th>
                <Table.Th>Key</Table.Th>
                <Table.Th>Status</Table.Th>
                <Table.Th className="num">Created</Table.Th>
                <Table.Th className="num">Last used</Table.Th>
                <Table.Th className="num">Expires</Table.Th>
                <Table.Th w={60} aria-label="Actions" />
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {rows.map((key) => {
                const status = keyStatus(key, now);
                return (
                  <Table.Tr key={key.id} c={status === 'active' ? undefined : 'dimmed'}>
                    <Table.Td>
                      <Text size="sm" fw={500}>
                        {key.name}
                      </Text>
                    </Table.Td>
                    <Table.Td>
                      <Code>{key.prefix}…</Code>
                    </Table.Td>
                    <Table.Td>
                      <StatusBadge status={status} />
                    </Table.Td>
                    <Table.Td className="num">
                      <Text size="sm">{formatDate(key.created_at)}</Text>
                    </Table.Td>
                    <Table.Td className="num">
                      <Text size="sm">{key.last_used_at ? formatDateTime(key.last_used_at) : 'Never'}</Text>
                    </Table.Td>
                    <Table.Td className="num">
                      <Text size="sm">{key.expires_at ? formatDate(key.expires_at) : 'Never'}</Text>
                    </Table.Td>
                    <Table.Td>
                      {status === 'active' && (
                        <RowAction
                          label={`Revoke ${key.name}`}
                          tooltip="Revoke"
                          color="red"
                          icon={<Ban size={16} aria-hidden />}
                          onClick={() => {
                            revoke.reset();
                            setRevoking(key);
                          }}
                        />
                      )}
                    </Table.Td>
                  </Table.Tr>
                );
              })}
            </Table.Tbody>
          </Table>
        )}
      </QueryTableCard>
      <CreateKeyModal
        opened={creating}
        onClose={() => {
          setCreating(false);
        }}
      />
      <ConfirmModal
        opened={revoking !== null}
        title="Revoke API key"
        message={`Programs using “${revoking?.name ?? ''}” will be refused from now on. This cannot be undone.`}
        confirmLabel="Revoke key"
        danger
        isPending={revoke.isPending}
        error={revoke.error}
        onClose={() => {
          setRevoking(null);
        }}
        onConfirm={() => {
          if (revoking)
            revoke.mutate(revoking.id, {
              onSuccess: () => {
                setRevoking(null);
              },
            });
        }}
      />
    </>
  );
}
