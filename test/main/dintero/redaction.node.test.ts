/**
 * No client secret, token or full phone number may appear in an error message, String(error),
 * JSON.stringify(error), error.stack, or a log line. This runs every error class with
 * recognisable values (Dintero even echoes them back in its error text) and scans everything.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { DinteroError } from '../../../main/dintero/errors';
import { harness, rejection, sessionRequest, type Harness } from './helpers';

const SECRET = 'SUPERSECRET-client-secret-7f3a9c';
const PHONE = '+4791234567';
const PHONE_DIGITS = ['4791234567', '91234567', '912 34 567'];

let h: Harness | undefined;
afterEach(async () => {
  await h?.fake.close();
  h = undefined;
});

function leaks(text: string, tokens: string[]): string[] {
  const found: string[] = [];
  for (const bad of [SECRET, ...tokens, PHONE, ...PHONE_DIGITS]) {
    if (text.includes(bad)) found.push(bad);
  }
  return found;
}

describe('redaction of errors and logs', () => {
  it('no secret, token or phone number in any error surface or log line', async () => {
    const creds = { accountId: 'T12345678', clientId: 'client-id-1', clientSecret: SECRET };
    h = await harness({ timeoutMs: 200, readRetries: 1, credentials: async () => ({ ...creds }) });
    h.fake.credentials.clientSecret = SECRET;
    const tx = h.fake.addTransaction({});
    const req = { ...sessionRequest, customer: { phone_number: PHONE } };

    // Prime a token so we know one to look for.
    await h.client.getTransaction(tx.id);
    const token = () => h!.fake.issuedTokens.at(-1)!;
    const echo = (status: number) => () => ({
      status,
      json: {
        error: {
          code: 'ECHO',
          message: `bad phone ${PHONE}; national 912 34 567; with Bearer ${token()} and secret ${SECRET}`,
          errors: [
            { field: 'customer.phone_number', message: `${PHONE} is not valid; token ${token()}` },
          ],
        },
      },
    });

    const errors: unknown[] = [];
    const run = async (p: Promise<unknown>) => errors.push(await rejection(p));

    for (const status of [400, 403, 404, 409, 422, 500, 503]) {
      h.fake.intercept('POST /v1/sessions-profile', echo(status));
      await run(h.client.createSession(req));
    }
    h.fake.intercept('POST /v1/sessions-profile', () => ({
      ...echo(429)(),
      headers: { 'retry-after': '1' },
    }));
    await run(h.client.createSession(req));
    // Twice 401 on a call.
    h.fake.intercept('GET /v1/transactions/:id', echo(401), 2);
    await run(h.client.getTransaction(tx.id));
    // Token endpoint refusals.
    for (const status of [400, 401, 403]) {
      h.fake.revokeTokens();
      h.fake.intercept((r) => r.path.includes('/auth/token'), echo(status));
      h.clock.t += 10 * 3_600_000; // force a token request
      await run(h.client.createSession(req));
    }
    // Transport failures.
    h.fake.intercept('POST /v1/sessions-profile', { action: 'reset' });
    await run(h.client.createSession(req));
    h.fake.intercept('POST /v1/sessions-profile', { action: 'hang' });
    await run(h.client.createSession(req));
    h.fake.intercept('POST /v1/sessions-profile', { status: 200, body: `{"phone": "${PHONE}", ` });
    await run(h.client.createSession(req));
    h.fake.intercept(
      'GET /v1/transactions/:id',
      { status: 200, body: `oops ${SECRET} ${PHONE}` },
      2,
    );
    await run(h.client.getTransaction(tx.id));
    // A wrong secret (token refused) with the secret in the credentials.
    h.fake.credentials.clientSecret = 'the-secret-dintero-knows';
    h.clock.t += 10 * 3_600_000;
    await run(h.client.createSession(req));

    expect(errors.length).toBeGreaterThanOrEqual(16);
    const tokens = [...h.fake.issuedTokens];
    expect(tokens.length).toBeGreaterThan(0);
    for (const e of errors) {
      expect(e).toBeInstanceOf(DinteroError);
      const d = e as DinteroError;
      const surfaces = [
        d.message,
        String(d),
        JSON.stringify(d),
        d.stack ?? '',
        JSON.stringify(d.details),
      ];
      for (const s of surfaces) expect(leaks(s, tokens), `${d.kind}: ${s}`).toEqual([]);
      expect(d.cause).toBeUndefined();
      expect(Object.keys(d)).not.toContain('request');
      expect(Object.keys(d)).not.toContain('response');
    }
    // Dintero's message is still there for a person to act on, just scrubbed.
    const first = errors[0] as DinteroError;
    expect(first.kind).toBe('invalid_request');
    expect(first.message).toMatch(/bad phone \+47 ••• ••• 67/);
    expect(first.details.fieldErrors?.[0]?.field).toBe('customer.phone_number');

    // Logs were written and none leak.
    expect(h.logLines.length).toBeGreaterThan(5);
    for (const line of h.logLines) expect(leaks(line, tokens), line).toEqual([]);
  });
});
