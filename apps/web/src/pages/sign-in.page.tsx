import {
  Anchor,
  Box,
  Button,
  Code,
  Group,
  Paper,
  PasswordInput,
  Stack,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { Info } from 'lucide-react';
import type { SyntheticEvent } from 'react';
import { useState } from 'react';
import { Navigate, useNavigate, useSearchParams } from 'react-router';
import { useMe, useSignIn } from '../auth/auth.hooks';
import { safeNextPath } from '../auth/safe-next';
import { ErrorAlert } from '../components/error-alert';
import { Brand } from '../layout/brand';
import { signInSchema } from '../forms/sign-in.form';
import { dropField, mergeFieldErrors, validate } from '../forms/validate';
import type { FieldErrors } from '../forms/validate';

/** Sign in with email and password; comes back to the page that asked for it. */
export function SignInPage() {
  const me = useMe();
  const signIn = useSignIn();
  const navigate = useNavigate();
  const [params] = useSearchParams();
  const next = safeNextPath(params.get('next'));
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [clientErrors, setClientErrors] = useState<FieldErrors>({});

  if (me.data) return <Navigate to={next} replace />;

  const onSubmit = (event: SyntheticEvent<HTMLFormElement>) => {
    event.preventDefault();
    const result = validate(signInSchema, { email, password });
    if (!result.ok) {
      setClientErrors(result.errors);
      return;
    }
    setClientErrors({});
    signIn.mutate(result.data, { onSuccess: () => void navigate(next, { replace: true }) });
  };

  const errors = mergeFieldErrors(clientErrors, signIn.error);

  return (
    <Box className="recon-sign-in-bg" px="md" py={64}>
      <Stack maw={400} mx="auto" gap="lg">
        <Box>
          <Brand size={32} />
        </Box>
        <Paper p="xl" shadow="sm">
          <form onSubmit={onSubmit} noValidate aria-labelledby="sign-in-title">
            <Stack gap="md">
              <div>
                <Title order={1} fz={22} id="sign-in-title">
                  Sign in
                </Title>
                <Text size="sm" c="dimmed" mt={4}>
                  Reconcile statements, ledgers and payouts with your team.
                </Text>
              </div>
              {signIn.isError && <ErrorAlert error={signIn.error} shownFields={['email', 'password']} />}
              <TextInput
                label="Email"
                type="email"
                autoComplete="username"
                autoFocus
                value={email}
                onChange={(e) => {
                  setEmail(e.currentTarget.value);
                  setClientErrors(dropField('email'));
                }}
                error={errors.email}
                required
              />
              <PasswordInput
                label="Password"
                autoComplete="current-password"
                value={password}
                onChange={(e) => {
                  setPassword(e.currentTarget.value);
                  setClientErrors(dropField('password'));
                }}
                error={errors.password}
                required
              />
              <Button type="submit" fullWidth loading={signIn.isPending} mt="xs">
                Sign in
              </Button>
            </Stack>
          </form>
        </Paper>
        <Paper
          p="md"
          shadow="none"
          bg="var(--mantine-color-ledger-0)"
          style={{ borderColor: 'var(--mantine-color-ledger-1)' }}
        >
          <Group gap="sm" wrap="nowrap" align="flex-start">
            <Info
              size={18}
              aria-hidden
              style={{ flexShrink: 0, marginTop: 2, color: 'var(--mantine-color-ledger-7)' }}
            />
            <div>
              <Text size="sm" fw={600}>
                First time here?
              </Text>
              <Text size="sm" c="dimmed" mt={2}>
                The administrator account is created on the first start. Its password was printed by{' '}
                <Code>npm start</Code> in the server&apos;s terminal (or set with <Code>ADMIN_PASSWORD</Code>
                ).
              </Text>
            </div>
          </Group>
        </Paper>
        <Text size="xs" c="dimmed" ta="center">
          Programs can use the{' '}
          <Anchor href="/docs" size="xs">
            REST API
          </Anchor>{' '}
          with an API key.
        </Text>
      </Stack>
    </Box>
  );
}
