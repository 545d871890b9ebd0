/**
 * Dintero's client-credentials token endpoint and Bearer checks, as the simulator plays them:
 * Basic auth with client id/secret, audience `https://api.dintero.com/v1/accounts/{aid}`,
 * JWT-shaped tokens that expire by the injected clock.
 */
import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import { registerSecret } from '../redact';
import { ApiError } from './http-io';
import { tokenSchema, validate } from './request-schemas';
import type { SimCore } from './state';

/** Issued tokens and their expiry (ms). Kept across stop/restart, not persisted. */
export type TokenTable = Map<string, number>;

const b64url = (v: unknown): string => Buffer.from(JSON.stringify(v)).toString('base64url');

function sameText(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

function basicCredentials(
  headers: IncomingHttpHeaders,
): { id: string; secret: string } | undefined {
  const m = /^Basic\s+(\S+)$/i.exec(headers.authorization ?? '');
  if (!m) return undefined;
  const decoded = Buffer.from(m[1]!, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0) return undefined;
  return { id: decoded.slice(0, colon), secret: decoded.slice(colon + 1) };
}

const unauthorized = (message: string): ApiError => new ApiError(401, 'UNAUTHORIZED', message);

/**
 * POST /v1/accounts/{aid}/auth/token. Wrong or missing client id/secret: 401. Right client but
 * another account or a mismatching audience: 403 (the audience "must be a grant associated
 * with the client"). Only grant_type client_credentials is supported (others: 400).
 */
export function issueToken(
  core: SimCore,
  tokens: TokenTable,
  aid: string,
  headers: IncomingHttpHeaders,
  body: unknown,
): { access_token: string; token_type: 'Bearer'; expires_in: number } {
  core.stats.tokenRequests++;
  const creds = core.config.credentials;
  const given = basicCredentials(headers);
  if (
    !given ||
    !sameText(given.id, creds.clientId) ||
    !sameText(given.secret, creds.clientSecret)
  ) {
    throw unauthorized('Invalid client credentials');
  }
  const parsed = validate(tokenSchema, body);
  if (parsed.grant_type !== 'client_credentials') {
    throw new ApiError(400, 'UNSUPPORTED_GRANT_TYPE', 'grant_type must be client_credentials');
  }
  const audience = `https://api.dintero.com/v1/accounts/${creds.accountId}`;
  if (aid !== creds.accountId || parsed.audience !== audience) {
    throw new ApiError(403, 'FORBIDDEN', 'The client has no grant for this audience');
  }
  const lifetime = core.config.tokenLifetimeSeconds;
  const iat = Math.floor(core.now() / 1000);
  const token = [
    b64url({ alg: 'RS256', typ: 'JWT' }),
    b64url({
      iss: 'https://api.dintero.com',
      aud: audience,
      sub: creds.clientId,
      iat,
      exp: iat + lifetime,
    }),
    randomBytes(32).toString('base64url'),
  ].join('.');
  registerSecret(token);
  tokens.set(token, core.realNow() + lifetime * 1000);
  core.stats.tokensIssued++;
  return { access_token: token, token_type: 'Bearer', expires_in: lifetime };
}

/** Every other route: a known, unexpired Bearer token, else 401 (Dintero: "invalid JWT"). */
export function requireBearer(
  core: SimCore,
  tokens: TokenTable,
  headers: IncomingHttpHeaders,
): void {
  const m = /^Bearer\s+(\S+)$/i.exec(headers.authorization ?? '');
  if (!m) throw unauthorized('Missing bearer token');
  const expiresAt = tokens.get(m[1]!);
  if (expiresAt === undefined) throw unauthorized('Invalid JWT token');
  if (core.realNow() >= expiresAt) {
    tokens.delete(m[1]!);
    throw unauthorized('JWT token has expired');
  }
}
