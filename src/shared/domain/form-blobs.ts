/**
 * The evidence files a form body references: its signature, then its photos,
 * each hash once. Reads any value: a body that has not passed the schema yet
 * (the push path collects hashes before it validates) yields only its
 * string hashes.
 */
export function formBlobs(body: unknown): string[] {
  const evidence = (body as { evidence?: { signatureBlob?: unknown; photoBlobs?: unknown } } | null | undefined)?.evidence;
  const out = new Set<string>();
  if (typeof evidence?.signatureBlob === 'string') out.add(evidence.signatureBlob);
  if (Array.isArray(evidence?.photoBlobs)) for (const h of evidence.photoBlobs) if (typeof h === 'string') out.add(h);
  return [...out];
}
