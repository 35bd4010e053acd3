import { Paper } from '@mantine/core';
import type { ReactNode } from 'react';

/** The white panel that holds a page's filters and list. */
export function ListCard({ children }: { children: ReactNode }) {
  return (
    <Paper withBorder radius="lg" p={{ base: 'sm', sm: 'lg' }} shadow="xs">
      {children}
    </Paper>
  );
}
