/**
 * Spec conformance: drive the real client against a recording loopback server and validate
 * EVERY request it can send (token, sessions, transactions, money operations, settlements)
 * against
 * Dintero's published Swagger 2.0 payments spec, kept in the repository at
 * test/fixtures/dintero/spec-payments.swagger2.yaml (its README says where it came from), or
 * PAYLINK_DINTERO_SPEC to try a newer copy. A missing spec file fails this test.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { harness, sessionRequest, type Harness } from './helpers';
import { SpecValidator, type SwaggerOperation } from './spec-validator';
import type { RecordedRequest } from './fake-dintero';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const specPath =
  process.env.PAYLINK_DINTERO_SPEC ??
  path.resolve(repoRoot, 'test', 'fixtures', 'dintero', 'spec-payments.swagger2.yaml');

/**
 * GET /v1/sessions and POST /v1/sessions/{id}/qr are NOT in the payments spec (they live only
 * in Dintero's full checkout spec, which no public repo holds as a file). These schemas are
 * transcribed from Dintero's API reference (checkout_sessions_get, qr_sessions_sid_post).
 */
const EXTRA_OPERATIONS: Record<string, SwaggerOperation> = {
  'GET /sessions': {
    parameters: [
      { name: 'limit', in: 'query', type: 'integer', minimum: 1, maximum: 100 },
      { name: 'starting_after', in: 'query', type: 'string', format: 'checkout-id' },
      {
        name: 'id',
        in: 'query',
        type: 'array',
        collectionFormat: 'multi',
        items: { type: 'string', format: 'checkout-id' },
      },
      { name: 'search', in: 'query', type: 'string' },
      {
        name: 'transaction_id',
        in: 'query',
        type: 'array',
        collectionFormat: 'multi',
        items: { type: 'string', format: 'checkout-id' },
      },
      { name: 'created_at.gte', in: 'query', type: 'string', format: 'isodate' },
      { name: 'created_at.lte', in: 'query', type: 'string', format: 'isodate' },
      {
        name: 'store_id',
        in: 'query',
        type: 'array',
        collectionFormat: 'multi',
        items: { type: 'string' },
      },
    ],
  },
  'POST /sessions/{session_id}/qr': {
    parameters: [
      { $ref: '#/parameters/SessionId' },
      {
        name: 'options',
        in: 'body',
        required: false,
        schema: {
          type: 'object',
          additionalProperties: false,
          properties: {
            format: { type: 'string', enum: ['png'] },
            size: { type: 'integer', minimum: 1 },
          },
        },
      },
    ],
  },
};

/** Every operation the client can send, as the validator names them. */
const ALL_OPERATIONS = [
  'POST /accounts/{oid}/auth/token',
  'POST /sessions-profile',
  'GET /sessions/{session_id}',
  'GET /sessions',
  'POST /sessions/{session_id}/cancel',
  'POST /sessions/{session_id}/qr',
  'GET /transactions/{id}',
  'GET /transactions',
  'POST /transactions/{id}/capture',
  'POST /transactions/{id}/refund',
  'POST /transactions/{id}/void',
  'GET /accounts/{aid}/settlements',
].sort();

let validator: SpecValidator;
let h: Harness;

beforeAll(async () => {
  if (!existsSync(specPath)) {
    throw new Error(
      `Dintero spec not found at ${specPath}. The conformance test needs Dintero's Swagger 2.0 ` +
        `payments spec (test/fixtures/dintero/spec-payments.swagger2.yaml in the repository) ` +
        `or PAYLINK_DINTERO_SPEC pointing at it.`,
    );
  }
  validator = new SpecValidator(readFileSync(specPath, 'utf8'), EXTRA_OPERATIONS);
  h = await harness();
});
afterAll(async () => {
  await h?.fake.close();
});

const check = (r: RecordedRequest) => validator.validate(r);

describe("every request the client sends conforms to Dintero's spec", () => {
  it('drives every client call with every optional field and validates each request', async () => {
    const c = h.client;
    const s = await c.createSession({
      ...sessionRequest,
      url: { return_url: 'https://shop.example/paid', callback_url: 'https://shop.example/cb' },
      customer: {
        phone_number: '+4791234567',
        email: 'kari@example.com',
        first_name: 'Kari',
        last_name: 'Nordmann',
      },
      order: {
        ...sessionRequest.order,
        merchant_reference_2: 'ERP-4711',
        store: { id: 'store-1', name: 'Main street', terminal_id: 'till-1' },
      },
      configuration: { publish: [{ type: 'checkout-link', channel: 'sms' }], channel: 'in_store' },
      metadata: { ext_pos_terminal: 'till-1' },
    });
    await c.getSession(s.id);
    await c.listSessions({
      ids: [s.id, `${s.id.slice(0, 10)}Other123`],
      search: 'POS1-000123',
      createdGte: '2026-01-01T00:00:00Z',
      createdLte: '2026-01-02T00:00:00.000Z',
      limit: 100,
      startingAfter: s.id,
    });
    await c.listAllSessions({ search: 'POS1' }, 10);
    await c.sessionQr(s.id, { size: 300 });
    await c.sessionQr(s.id);
    await c.cancelSession(s.id);

    const tx = h.fake.addTransaction({ session_id: s.id });
    await c.getTransaction(tx.id);
    await c.listTransactions({
      ids: [tx.id],
      sessionIds: [s.id, tx.session_id!],
      merchantReference: 'POS1-000123',
      createdGte: '2026-03-01T00:00:00+01:00',
      createdLte: '2026-03-01T23:59:59.999+01:00',
      storeIds: ['oslo-1', 'oslo-2'],
      limit: 1,
      startingAfter: tx.id,
    });
    await c.listAllTransactions({ sessionIds: [s.id] }, 5);
    await c.capture(tx.id, {
      amount: 29990,
      capture_reference: 'cap-1',
      items: [{ line_id: '1', amount: 29990, quantity: 1 }],
    });
    await c.capture(tx.id, { amount: 100, capture_reference: 'cap-2' });
    await c.refund(tx.id, {
      amount: 1000,
      reason: 'damaged',
      refund_reference: 'ref-1',
      items: [{ line_id: '1', amount: 1000, quantity: 1 }],
    });
    await c.refund(tx.id, { amount: 500, refund_reference: 'ref-2' });
    await c.void(tx.id);
    expect(await c.testConnection()).toBe('works');

    // aid_settlements_list: date filters, a page size and both halves of the cursor.
    for (const id of ['stl_1', 'stl_2', 'stl_3']) h.fake.addSettlement({ id });
    const settled = await c.listSettlements({
      settledGte: '2026-01-01',
      settledLte: '2026-01-03',
      limit: 2,
    });
    expect(settled.map((x) => x.id)).toEqual(['stl_1', 'stl_2', 'stl_3']);
    await c.listSettlements({ startingAfter: { id: 'stl_1', settledAt: '2026-01-02' } });
    const pages = h.fake.requests.filter((r) => r.path.endsWith('/settlements'));
    expect(pages[1]?.query.get('starting_after_id')).toBe('stl_2');

    const seen = new Set<string>();
    const problems: string[] = [];
    for (const r of h.fake.requests) {
      const res = check(r);
      if (res.operation) seen.add(res.operation);
      for (const e of res.errors)
        problems.push(`${r.method} ${r.path}?${r.query.toString()}: ${e}`);
    }
    expect(problems).toEqual([]);
    expect([...seen].sort()).toEqual(ALL_OPERATIONS);
  });
});

describe('the validator can fail', () => {
  const base = (over: Partial<RecordedRequest>): RecordedRequest => ({
    method: 'POST',
    path: '/v1/transactions/T12345678.abcDEF123/capture',
    query: new URLSearchParams(),
    headers: { 'content-type': 'application/json' },
    body: '',
    json: undefined,
    ...over,
  });

  it('rejects a capture body with a string amount and an item without line_id', () => {
    const r = check(base({ body: JSON.stringify({ amount: '100', items: [{ amount: 1 }] }) }));
    expect(r.operation).toBe('POST /transactions/{id}/capture');
    expect(r.errors.join('\n')).toMatch(/amount/);
    expect(r.errors.join('\n')).toMatch(/line_id/);
  });

  it('rejects a session body without url and with an unknown publish channel', () => {
    const body = {
      ...sessionRequest,
      url: undefined,
      configuration: { publish: [{ type: 'checkout-link', channel: 'fax' }] },
    };
    const r = check(base({ path: '/v1/sessions-profile', body: JSON.stringify(body) }));
    expect(r.errors.join('\n')).toMatch(/url/);
    expect(r.errors.join('\n')).toMatch(/allowed values/);
  });

  it('rejects a refund amount that is not an integer', () => {
    const r = check(
      base({
        path: '/v1/transactions/T12345678.abc/refund',
        body: JSON.stringify({ amount: 10.5 }),
      }),
    );
    expect(r.errors.length).toBeGreaterThan(0);
  });

  it('rejects out-of-range limit, an unknown query parameter and a repeated scalar', () => {
    const q = new URLSearchParams([
      ['limit', '500'],
      ['colour', 'blue'],
      ['merchant_reference', 'a'],
      ['merchant_reference', 'b'],
    ]);
    const r = check(base({ method: 'GET', path: '/v1/transactions', query: q }));
    const text = r.errors.join('\n');
    expect(text).toMatch(/limit/);
    expect(text).toMatch(/colour/);
    expect(text).toMatch(/merchant_reference is not repeatable/);
  });

  it('rejects a malformed id in the path and a bad created_at on the transcribed session list', () => {
    expect(check(base({ method: 'GET', path: '/v1/transactions/not-an-id' })).errors).not.toEqual(
      [],
    );
    const q = new URLSearchParams({ 'created_at.gte': 'yesterday', limit: '0' });
    expect(check(base({ method: 'GET', path: '/v1/sessions', query: q })).errors).toHaveLength(2);
  });

  it('rejects a QR body asking for another format, and a body on void', () => {
    const qr = check(
      base({ path: '/v1/sessions/T12345678.abc/qr', body: JSON.stringify({ format: 'gif' }) }),
    );
    expect(qr.errors).not.toEqual([]);
    const v = check(base({ path: '/v1/transactions/T12345678.abc/void', body: '{"amount":1}' }));
    expect(v.errors.join('\n')).toMatch(/takes no body/);
  });

  it('rejects settlement filters that are not dates, item_created_at and a limit over 1000', () => {
    const q = new URLSearchParams({
      'created_at.gte': '2026-03-01T00:00:00Z',
      'item_created_at.gte': '2026-03-01',
      limit: '1001',
    });
    const r = check(base({ method: 'GET', path: '/v1/accounts/T12345678/settlements', query: q }));
    expect(r.operation).toBe('GET /accounts/{aid}/settlements');
    const text = r.errors.join('\n');
    expect(text).toMatch(/created_at\.gte/);
    expect(text).toMatch(/item_created_at\.gte is not a parameter/);
    expect(text).toMatch(/limit/);
    expect(r.errors).toHaveLength(3);
  });

  it('rejects a token request for a malformed account id', () => {
    const r = check(
      base({
        path: '/v1/accounts/X123/auth/token',
        body: JSON.stringify({ grant_type: 'client_credentials' }),
      }),
    );
    expect(r.operation).toBe('POST /accounts/{oid}/auth/token');
    expect(r.errors).not.toEqual([]);
  });
});
