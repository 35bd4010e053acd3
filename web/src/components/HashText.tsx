import { Box, type BoxProps } from '@mantine/core';
import { hashGroups } from '../lib/documents.ts';

/**
 * A SHA-256 in monospace, in groups of eight that wrap on a phone; copied, it is the plain hash (the gaps
 * are margins, not spaces).
 */
export function HashText({ hash, testId, ...box }: { hash: string; testId?: string } & BoxProps) {
  return (
    <Box component="code" className="hash-text" data-testid={testId} data-hash={hash} {...box}>
      {hashGroups(hash).map((group, index) => (
        // biome-ignore lint/suspicious/noArrayIndexKey: groups repeat and never move
        <span key={index}>{group}</span>
      ))}
    </Box>
  );
}
