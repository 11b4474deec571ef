import { Button, Center, EmptyState } from '@mantine/core';
import { CircleAlert } from 'lucide-react';
import { isRouteErrorResponse, useRouteError } from 'react-router';

/** Shown when a page fails to load or render (a new deployment's chunks, a bug): never a blank screen. */
export function RouteError() {
  const error = useRouteError();
  const notFound = isRouteErrorResponse(error) && error.status === 404;
  return (
    <Center mih="60vh" p="md">
      <EmptyState
        color="red"
        variant="light"
        icon={<CircleAlert size={22} aria-hidden />}
        title={notFound ? 'Page not found' : 'This page could not be shown'}
        description={
          notFound
            ? 'The address does not match any page.'
            : 'Something went wrong while loading it. Reloading usually fixes this.'
        }
      >
        <EmptyState.Actions>
          <Button
            onClick={() => {
              window.location.reload();
            }}
          >
            Reload
          </Button>
        </EmptyState.Actions>
      </EmptyState>
    </Center>
  );
}
