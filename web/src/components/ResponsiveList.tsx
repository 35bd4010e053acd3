/**
 * A list that is a table on wide screens and a stack of cards on phones, so nothing overflows at 375px.
 */
import { Box, Card, Group, Stack, Table, Text } from '@mantine/core';
import { useMediaQuery } from '@mantine/hooks';
import { Fragment, type ReactNode } from 'react';

export type Column<T> = {
  key: string;
  header: ReactNode;
  render: (row: T) => ReactNode;
  /** Leave this column out of the phone card (it is already the card's title, say). */
  hideOnCard?: boolean;
  width?: number | string;
  /** Keeps short content (badges, dates) from being squeezed by long text in other columns. */
  minWidth?: number;
};

type Props<T> = {
  label: string;
  rows: T[];
  rowKey: (row: T) => string;
  columns: Column<T>[];
  /** The card's heading on phones. */
  cardTitle: (row: T) => ReactNode;
  actions?: (row: T) => ReactNode;
  actionsHeader?: ReactNode;
  /** Extra content under a row (a details panel), shown when present. */
  expanded?: (row: T) => ReactNode | null;
  /** Data attributes per row, for styling (inactive, error). */
  rowState?: (row: T) => { inactive?: boolean; error?: boolean };
  minWidth?: number;
  testId?: string;
};

export const PHONE_QUERY = '(max-width: 48em)';

export function useIsPhone(): boolean {
  return useMediaQuery(PHONE_QUERY, false, { getInitialValueInEffect: false });
}

export function ResponsiveList<T>(props: Props<T>) {
  const isPhone = useIsPhone();
  return isPhone ? <CardList {...props} /> : <WideTable {...props} />;
}

function WideTable<T>({
  label,
  rows,
  rowKey,
  columns,
  actions,
  actionsHeader,
  expanded,
  rowState,
  minWidth = 720,
  testId,
}: Props<T>) {
  const span = columns.length + (actions ? 1 : 0);
  return (
    <Table.ScrollContainer minWidth={minWidth} type="native">
      <Table
        className="data-table"
        aria-label={label}
        data-testid={testId}
        verticalSpacing="sm"
        horizontalSpacing="sm"
        highlightOnHover
      >
        <Table.Thead>
          <Table.Tr>
            {columns.map((column) => (
              <Table.Th key={column.key} style={{ width: column.width, minWidth: column.minWidth }}>
                {column.header}
              </Table.Th>
            ))}
            {actions ? <Table.Th style={{ width: 1, textAlign: 'right' }}>{actionsHeader}</Table.Th> : null}
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {rows.map((row) => {
            const state = rowState?.(row);
            const extra = expanded?.(row);
            return (
              <Fragment key={rowKey(row)}>
                <Table.Tr
                  data-inactive={state?.inactive ? 'true' : undefined}
                  data-error={state?.error ? 'true' : undefined}
                >
                  {columns.map((column) => (
                    <Table.Td key={column.key}>{column.render(row)}</Table.Td>
                  ))}
                  {actions ? (
                    <Table.Td style={{ textAlign: 'right', whiteSpace: 'nowrap' }}>{actions(row)}</Table.Td>
                  ) : null}
                </Table.Tr>
                {extra ? (
                  <Table.Tr>
                    <Table.Td colSpan={span} bg="gray.0">
                      {extra}
                    </Table.Td>
                  </Table.Tr>
                ) : null}
              </Fragment>
            );
          })}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}

function CardList<T>({
  label,
  rows,
  rowKey,
  columns,
  cardTitle,
  actions,
  expanded,
  rowState,
  testId,
}: Props<T>) {
  return (
    <Stack gap="sm" role="list" aria-label={label} data-testid={testId}>
      {rows.map((row) => {
        const state = rowState?.(row);
        const extra = expanded?.(row);
        return (
          <Card
            key={rowKey(row)}
            role="listitem"
            withBorder
            radius="md"
            padding="md"
            className="data-card"
            data-error={state?.error ? 'true' : undefined}
            style={state?.inactive ? { opacity: 0.75 } : undefined}
          >
            <Box style={{ minWidth: 0 }}>{cardTitle(row)}</Box>
            <Stack gap={6} mt="sm">
              {columns
                .filter((column) => !column.hideOnCard)
                .map((column) => (
                  <Group key={column.key} gap="xs" wrap="nowrap" align="flex-start">
                    <Text size="xs" c="dimmed" w={96} style={{ flexShrink: 0 }} pt={2}>
                      {column.header}
                    </Text>
                    <Box style={{ minWidth: 0, flex: 1, fontSize: 'var(--mantine-font-size-sm)' }}>
                      {column.render(row)}
                    </Box>
                  </Group>
                ))}
            </Stack>
            {extra ? <Box mt="sm">{extra}</Box> : null}
            {actions ? (
              <Card.Section withBorder inheritPadding py={6} mt="sm">
                <Group justify="flex-end">{actions(row)}</Group>
              </Card.Section>
            ) : null}
          </Card>
        );
      })}
    </Stack>
  );
}
