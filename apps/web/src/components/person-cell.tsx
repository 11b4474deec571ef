import { Text } from '@mantine/core';

/** A person in a table: name (with "(you)" for the signed-in person) over the email. */
export function PersonCell({ name, email, isYou }: { name: string; email: string; isYou: boolean }) {
  return (
    <>
      <Text size="sm" fw={500}>
        {name}
        {isYou && (
          <Text span size="xs" c="dimmed">
            {' '}
            (you)
          </Text>
        )}
      </Text>
      <Text size="xs" c="dimmed">
        {email}
      </Text>
    </>
  );
}
