import { Button, Group, Stack, Title } from '@mantine/core';
import type { ReactNode, SyntheticEvent } from 'react';
import { useId } from 'react';
import { ErrorAlert } from './error-alert';

interface FormSectionProps {
  title: string;
  onSubmit: (event: SyntheticEvent<HTMLFormElement>) => void;
  /** The failed request, shown above the inputs (field messages go under `shownFields` instead). */
  error: unknown;
  shownFields: string[];
  submitLabel: string;
  isPending: boolean;
  /** False disables the button (nothing changed yet). */
  canSubmit?: boolean;
  /** False hides the button (the person may look but not edit). */
  isEditable?: boolean;
  children: ReactNode;
}

/** A titled settings form: the server's error, the inputs, and the submit button on the right. */
export function FormSection(props: FormSectionProps) {
  const { title, onSubmit, error, shownFields, submitLabel, isPending, children } = props;
  const titleId = useId();
  return (
    <form onSubmit={onSubmit} noValidate aria-labelledby={titleId}>
      <Stack gap="md">
        <Title order={2} fz="md" id={titleId}>
          {title}
        </Title>
        {error !== null && error !== undefined && <ErrorAlert error={error} shownFields={shownFields} />}
        {children}
        {props.isEditable !== false && (
          <Group justify="flex-end">
            <Button type="submit" loading={isPending} disabled={props.canSubmit === false}>
              {submitLabel}
            </Button>
          </Group>
        )}
      </Stack>
    </form>
  );
}
