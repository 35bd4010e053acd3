import type { Kysely } from 'kysely';
import { type Audience, audienceOf } from '../auth/policy.ts';
import { documentVisibleTo, positionOf } from '../cases/case-audience.ts';
import type { Database } from '../db/schema.ts';
import { notFound } from '../errors.ts';
import type { Ctx } from '../shared/context.ts';
import type { CaseSource } from './case-source.ts';
import { type DocumentRow, findDocument, findReplacement, listCaseDocuments } from './document.repository.ts';

export type DocumentOut = {
  id: string;
  kind: string;
  title: string;
  number: string | null;
  version: number;
  replacesId: string | null;
  sha256: string;
  size: number;
  issuedAt: string;
  /** DKISP staff see the issuer's account; an OPD sees the issuer's position only. */
  issuedBy: { id?: string; fullName: string };
  url: string;
  verifyUrl: string;
};

export function presentDocument(d: DocumentRow, aud: Audience): DocumentOut {
  return {
    id: d.id,
    kind: d.kind,
    title: d.title,
    number: d.number,
    version: d.version,
    replacesId: d.replaces_id,
    sha256: d.sha256,
    size: d.size,
    issuedAt: d.issued_at.toISOString(),
    issuedBy:
      aud === 'staff'
        ? { id: d.issued_by, fullName: d.issuer_name }
        : { fullName: positionOf(d.issuer_roles).label },
    url: `/api/documents/${d.id}/pdf`,
    verifyUrl: `/verifikasi/${d.id}`,
  };
}

export async function listDocumentsOfCase(
  db: Kysely<Database>,
  caseId: string,
  ctx: Ctx,
  cases: CaseSource,
): Promise<DocumentOut[]> {
  await cases.assertVisible(db, caseId, ctx);
  // An OPD lists only the documents addressed to it (docs/adr/0009-what-the-opd-sees.md).
  const aud = audienceOf(ctx.actor);
  return (await listCaseDocuments(db, caseId))
    .filter((d) => documentVisibleTo(aud, d.kind))
    .map((d) => presentDocument(d, aud));
}

/**
 * A document's stored file, for someone who may see its case and the document (an OPD: only what
 * is addressed to it; any signed-in user: the SOP sheet). Anything else is not found.
 */
export async function documentFile(db: Kysely<Database>, id: string, ctx: Ctx, cases: CaseSource) {
  const d = await findDocument(db, id);
  if (!d) throw notFound('Document');
  if (d.case_id) {
    await cases.assertVisible(db, d.case_id, ctx);
    if (!documentVisibleTo(audienceOf(ctx.actor), d.kind)) throw notFound('Document');
  }
  return {
    key: d.storage_key,
    displayName: `${d.title.replace(/[^\p{L}\p{N} ._-]+/gu, '-')}.pdf`,
    mime: 'application/pdf',
    size: d.size,
  };
}

/**
 * What anyone holding the printed document may learn from its QR code: what was issued, when, by
 * whom, for which case, its fingerprint, and whether a newer version replaced it — nothing more.
 */
export async function verificationInfo(db: Kysely<Database>, id: string) {
  const d = await findDocument(db, id);
  if (!d) throw notFound('Document');
  const replacement = await findReplacement(db, id);
  return {
    id: d.id,
    kind: d.kind,
    title: d.title,
    number: d.number,
    version: d.version,
    issuedAt: d.issued_at.toISOString(),
    issuedBy: d.issuer_name,
    sha256: d.sha256,
    replacesId: d.replaces_id,
    replacedById: replacement?.id ?? null,
    info: d.public_info,
  };
}
