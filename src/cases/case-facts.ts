/**
 * The case's website as its facts name it: `websiteId` (the registry record, once there is one)
 * and `websiteRef` (its address, or the one the request wished for). Well-known fact keys: the
 * case page, the registry's website page and the documents read them whatever the SOP.
 */
export function websiteOfCase(c: { facts: Record<string, unknown> }): {
  websiteId: string | null;
  websiteRef: string | null;
} {
  const { websiteId, websiteRef } = c.facts;
  return {
    websiteId: typeof websiteId === 'string' ? websiteId : null,
    websiteRef: typeof websiteRef === 'string' ? websiteRef : null,
  };
}
