import { Text } from '@mantine/core';
import { formatDateAndTime } from '../lib/format.ts';

/** A timestamp in Jakarta time: the date, and the time under it, so table columns stay narrow. */
export function DateTimeText({ iso, dimmed = false }: { iso: string; dimmed?: boolean }) {
  const parts = formatDateAndTime(iso);
  if (!parts) return <Text size="sm">{iso}</Text>;
  return (
    <time dateTime={iso} style={{ display: 'block', whiteSpace: 'nowrap' }}>
      <Text size="sm" c={dimmed ? 'dimmed' : undefined} span display="block">
        {parts.date}
      </Text>
      <Text size="xs" c="dimmed" span display="block">
        {parts.time}
      </Text>
    </time>
  );
}
