import { fileBody, tokenFor } from '../../support/http-client';
import { useTestApp } from '../../support/test-app';

const AGENT = tokenFor('agent', 'agent-1');
const t = useTestApp();

const file = async (overrides: Record<string, unknown>) => {
  const r = await t.http.post('/api/v1/disputes', AGENT, fileBody(overrides));
  expect(r.status).toBe(201);
  return r.body.id as string;
};
const repeatDefect = async (id: string) => (await t.http.get(`/api/v1/disputes/${id}`, AGENT)).body.repeatDefect as boolean;

/** Issue 19 item 4: the count of earlier disputes on the order line no longer waits for the read model; the rule is unchanged. */
describe('repeated defects on one order line', () => {
  it('flags the second and later filings with the same defect code, filed back to back or at once', async () => {
    const line = { orderId: 'order-rd-1', productSku: 'kettle-rd' };
    const first = await file({ ...line, defectCode: 'LEAK' });
    const second = await file({ ...line, defectCode: 'LEAK' }); // no pause: the read model may not have applied the first
    const otherDefect = await file({ ...line, defectCode: 'CRACK' });
    const otherLine = await file({ ...line, productSku: 'kettle-rd-2', defectCode: 'LEAK' });
    const noCode = await file({ ...line, defectCode: undefined });
    expect(await repeatDefect(first)).toBe(false);
    expect(await repeatDefect(second)).toBe(true);
    expect(await repeatDefect(otherDefect)).toBe(false);
    expect(await repeatDefect(otherLine)).toBe(false);
    expect(await repeatDefect(noCode)).toBe(false);
    // Later filings, once the first two are applied, still count them (nothing lost, nothing twice).
    const later = await Promise.all([
      file({ ...line, defectCode: 'CRACK' }),
      file({ ...line, productSku: 'kettle-rd-2', defectCode: 'LEAK' }),
    ]);
    expect(await Promise.all(later.map(repeatDefect))).toEqual([true, true]);
  });
});
