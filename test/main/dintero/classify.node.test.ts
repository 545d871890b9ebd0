import { describe, expect, it } from 'vitest';
import {
  classifyTransportError,
  parseRetryAfter,
  readErrorBody,
} from '../../../main/dintero/classify';
import { resolveDinteroUrls } from '../../../main/dintero/client';

/** A got-like failure: a code, and timings.upload set once the request was written. */
const failure = (code: string, uploaded: boolean) =>
  Object.assign(new Error(`failed ${code}`), {
    code,
    timings: { start: 1, upload: uploaded ? 2 : undefined },
  });

describe('classifyTransportError', () => {
  const post = { method: 'POST', operation: 'POST /v1/sessions-profile', stage: 'call' } as const;
  const get = { method: 'GET', operation: 'GET /v1/sessions/{id}', stage: 'call' } as const;

  it('a timeout before the request was written is a network error (nothing sent)', () => {
    expect(classifyTransportError(failure('ETIMEDOUT', false), post).kind).toBe('network');
  });
  it('a timeout after the request was written loses a POST outcome', () => {
    expect(classifyTransportError(failure('ETIMEDOUT', true), post).kind).toBe('outcome_unknown');
  });
  it('ECONNRESET after sending: POST outcome_unknown, GET unavailable (retryable)', () => {
    expect(classifyTransportError(failure('ECONNRESET', true), post).kind).toBe('outcome_unknown');
    const g = classifyTransportError(failure('ECONNRESET', true), get);
    expect(g.kind).toBe('unavailable');
    expect(g.transient).toBe(true);
  });
  it.each(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'ENETUNREACH', 'EHOSTUNREACH'])(
    '%s is network even for a POST',
    (code) => {
      const e = classifyTransportError(failure(code, false), post);
      expect(e.kind).toBe('network');
      expect(e.nothingSent).toBe(true);
    },
  );
  it('token-stage failures are network: the call itself was not sent', () => {
    const e = classifyTransportError(failure('ECONNRESET', true), { ...post, stage: 'token' });
    expect(e.kind).toBe('network');
  });
  it('quotes only code-shaped codes', () => {
    const e = classifyTransportError(
      Object.assign(new Error('x'), { code: 'Bearer abc.def' }),
      post,
    );
    expect(e.message).not.toContain('Bearer');
  });
});

describe('parseRetryAfter', () => {
  it('reads seconds, HTTP dates and ignores garbage', () => {
    const now = Date.UTC(2026, 0, 1, 12, 0, 0);
    expect(parseRetryAfter('3', now)).toBe(3000);
    expect(parseRetryAfter('0', now)).toBe(0);
    expect(parseRetryAfter(new Date(now + 90_000).toUTCString(), now)).toBe(90_000);
    expect(parseRetryAfter(new Date(now - 90_000).toUTCString(), now)).toBe(0);
    expect(parseRetryAfter('soon', now)).toBeUndefined();
    expect(parseRetryAfter(undefined, now)).toBeUndefined();
  });
});

describe('readErrorBody', () => {
  it('caps nested field errors and tolerates odd shapes', () => {
    const many = Array.from({ length: 50 }, (_, i) => ({ field: `f${i}`, message: 'bad' }));
    const b = readErrorBody(
      JSON.stringify({ error: { message: 'm', errors: [...many, 3, null, 'plain'] } }),
    );
    expect(b.fieldErrors).toHaveLength(20);
    expect(readErrorBody(JSON.stringify({ error: 'str' })).fieldErrors).toEqual([]);
    expect(readErrorBody('').fieldErrors).toEqual([]);
  });
});

describe('resolveDinteroUrls', () => {
  it('defaults to Dintero production hosts', () => {
    expect(resolveDinteroUrls(undefined, {})).toEqual({
      apiUrl: 'https://api.dintero.com',
      checkoutUrl: 'https://checkout.dintero.com',
    });
  });
  it('applies env overrides, and an explicit override wins over env', () => {
    const env = {
      PAYLINK_DINTERO_API_URL: 'http://127.0.0.1:4000/',
      PAYLINK_DINTERO_CHECKOUT_URL: 'http://127.0.0.1:4000',
    };
    expect(resolveDinteroUrls(undefined, env)).toEqual({
      apiUrl: 'http://127.0.0.1:4000',
      checkoutUrl: 'http://127.0.0.1:4000',
    });
    expect(resolveDinteroUrls({ checkoutUrl: 'https://checkout.example' }, env).checkoutUrl).toBe(
      'https://checkout.example',
    );
  });
  it('refuses plain http except on loopback, and invalid URLs', () => {
    expect(() => resolveDinteroUrls({ apiUrl: 'http://api.example' }, {})).toThrow(/https/);
    expect(() => resolveDinteroUrls({ apiUrl: 'not a url' }, {})).toThrow(/valid URL/);
  });
});
