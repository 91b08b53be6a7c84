import { Alert, Center, Loader } from '@mantine/core';
import type { UseQueryResult } from '@tanstack/react-query';
import type { ReactNode } from 'react';
import { ApiError } from '../api/client';
import { Unavailable } from './EmptyState';

/** Loading, error and "not on this server" for a query; renders children with the data. */
export function QueryState<T>({
  query,
  feature,
  children,
}: {
  query: UseQueryResult<T>;
  feature?: string;
  children: (data: T) => ReactNode;
}) {
  if (query.isPending)
    return (
      <Center py="xl">
        <Loader size="sm" aria-label="Loading" />
      </Center>
    );
  if (query.isError) return <ErrorAlert error={query.error} feature={feature} />;
  return <>{children(query.data)}</>;
}

export function ErrorAlert({ error, feature }: { error: unknown; feature?: string }) {
  if (error instanceof ApiError && error.isMissingRoute) return <Unavailable feature={feature ?? 'This feature'} />;
  if (error instanceof ApiError && error.status === 404)
    return (
      <Alert color="gray" title="Not found">
        {error.message}
      </Alert>
    );
  const message = error instanceof Error ? error.message : String(error);
  return (
    <Alert color="red" title="Something went wrong" role="alert">
      {message}
    </Alert>
  );
}
