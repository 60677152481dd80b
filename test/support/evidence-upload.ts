/** A multipart evidence upload (issue 15) over fetch, as the agent UI sends it. */
export async function uploadEvidence(
  baseUrl: string,
  token: string,
  id: string,
  kind: string,
  fileName: string,
  type: string,
  bytes: Buffer,
  description?: string,
) {
  const form = new FormData();
  form.set('kind', kind);
  if (description) form.set('description', description);
  form.set('file', new Blob([bytes], { type }), fileName);
  const response = await fetch(`${baseUrl}/api/v1/disputes/${id}/evidence`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}` },
    body: form,
  });
  const text = await response.text();
  let body: any = text;
  try {
    body = JSON.parse(text);
  } catch {
    /* not JSON */
  }
  return { status: response.status, body };
}

/** A small valid PDF-looking file: evidence types are checked against their leading bytes. */
export const pdfBytes = (text = 'agreement') => Buffer.from(`%PDF-1.7\n${text}\n%%EOF\n`);
