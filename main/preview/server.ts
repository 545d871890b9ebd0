/**
 * `npm run preview:browser` and the browser end-to-end tests: the app's main-side services as
 * plain Node (the same AppServices and handler table Electron serves) plus the built renderer,
 * on 127.0.0.1, joined by a loopback bridge. Development and tests only; never packaged.
 *
 * The bridge only answers loopback peers, only for its own Host, and every call must carry the
 * per-run secret (a header for calls, a query parameter for the event stream), which is written
 * into the page this server serves. Other web pages in a browser can neither read it (CORS)
 * nor send the custom header without a preflight this server never approves.
 */
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, normalize, sep } from 'node:path';
import { EVENT_NAMES } from '../../common/paylink-api';
import type { SecretStore } from '../credentials/secret-store';
import { dispatch } from '../ipc/dispatch';
import { createHandlerTable } from '../ipc/handlers';
import type { Logger } from '../log';
import { AppServices, type ServicesOptions } from '../services';

export interface PreviewOptions {
  dataDir: string;
  /** 0 picks a free port. */
  port: number;
  /** Built renderer (out/renderer). */
  rendererDir: string;
  /** Built bridge client (out/preview/bridge.js). */
  bridgeScriptPath: string;
  secretStore: SecretStore;
  logger: Logger;
  version: string;
  env?: NodeJS.ProcessEnv;
  engineTiming?: ServicesOptions['engineTiming'];
  /** The language a first start uses (the CLI reads it from the environment); default English. */
  systemLanguage?: ServicesOptions['systemLanguage'];
}

export interface PreviewServer {
  url: string;
  services: AppServices;
  close(): Promise<void>;
}

/** Same policy as the meta tag in renderer/index.html. */
export const PREVIEW_CSP =
  "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; " +
  "font-src 'self'; object-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.png': 'image/png',
  '.svg': 'image/svg+xml',
  '.woff2': 'font/woff2',
  '.json': 'application/json',
};
const MAX_BODY = 2 * 1024 * 1024;

const isLoopback = (addr: string | undefined): boolean =>
  !!addr && (addr === '::1' || addr.startsWith('127.') || addr.startsWith('::ffff:127.'));

function tokenMatches(given: string | null | undefined, token: string): boolean {
  if (!given) return false;
  const a = Buffer.from(given);
  const b = Buffer.from(token);
  return a.length === b.length && timingSafeEqual(a, b);
}

function send(res: ServerResponse, status: number, body: string | Buffer, type: string): void {
  res.writeHead(status, {
    'content-type': type,
    'content-security-policy': PREVIEW_CSP,
    'x-content-type-options': 'nosniff',
    'cache-control': 'no-store',
  });
  res.end(body);
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY) throw new Error('too large');
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/** Starts services and the loopback bridge; resolves once listening. */
export async function startPreview(opts: PreviewOptions): Promise<PreviewServer> {
  const services = await AppServices.create({
    dataDir: opts.dataDir,
    secretStore: opts.secretStore,
    logger: opts.logger,
    version: opts.version,
    ...(opts.env ? { env: opts.env } : {}),
    ...(opts.engineTiming ? { engineTiming: opts.engineTiming } : {}),
    ...(opts.systemLanguage ? { systemLanguage: opts.systemLanguage } : {}),
  });
  const table = createHandlerTable(services);
  const token = randomBytes(24).toString('base64url');
  const streams = new Set<ServerResponse>();
  const offs = EVENT_NAMES.map((name) =>
    services.on(name, (payload) => {
      const frame = `event: ${name}\ndata: ${JSON.stringify(payload)}\n\n`;
      for (const s of streams) s.write(frame);
    }),
  );
  let hostHeader = '';

  const server = createServer((req, res) => {
    void (async () => {
      if (!isLoopback(req.socket.remoteAddress) || req.headers.host !== hostHeader) {
        return send(res, 403, 'Forbidden', 'text/plain');
      }
      const url = new URL(req.url ?? '/', `http://${hostHeader}`);
      if (url.pathname === '/__paylink/invoke' && req.method === 'POST') {
        const origin = req.headers.origin;
        if (
          (origin && origin !== `http://${hostHeader}`) ||
          !tokenMatches(req.headers['x-paylink-token'] as string | undefined, token)
        ) {
          return send(res, 403, 'Forbidden', 'text/plain');
        }
        let body: unknown;
        try {
          body = JSON.parse(await readBody(req));
        } catch {
          return send(
            res,
            400,
            JSON.stringify({
              ok: false,
              error: { code: 'invalid_input', message: 'Bad request.' },
            }),
            'application/json',
          );
        }
        const { channel, input } = (body ?? {}) as { channel?: unknown; input?: unknown };
        const result = await dispatch(
          table,
          channel,
          input === null ? undefined : input,
          { actor: services.actor() },
          opts.logger,
        );
        return send(res, 200, JSON.stringify(result), 'application/json');
      }
      if (url.pathname === '/__paylink/events' && req.method === 'GET') {
        if (!tokenMatches(url.searchParams.get('token'), token))
          return send(res, 403, 'Forbidden', 'text/plain');
        res.writeHead(200, {
          'content-type': 'text/event-stream',
          'cache-control': 'no-store',
          connection: 'keep-alive',
        });
        res.write(': connected\n\n');
        streams.add(res);
        req.on('close', () => streams.delete(res));
        return;
      }
      if (url.pathname === '/__paylink/bridge.js') {
        return send(res, 200, await readFile(opts.bridgeScriptPath), TYPES['.js']!);
      }
      if (req.method !== 'GET') return send(res, 405, 'Method not allowed', 'text/plain');
      if (url.pathname === '/' || url.pathname === '/index.html') {
        const html = await readFile(join(opts.rendererDir, 'index.html'), 'utf8');
        const tag = `<script src="/__paylink/bridge.js" data-token="${token}"></script>`;
        const injected = html.includes('<script')
          ? html.replace('<script', `${tag}\n    <script`)
          : html.replace('</head>', `${tag}</head>`);
        return send(res, 200, injected, TYPES['.html']!);
      }
      const file = normalize(join(opts.rendererDir, decodeURIComponent(url.pathname)));
      if (!file.startsWith(normalize(opts.rendererDir) + sep))
        return send(res, 404, 'Not found', 'text/plain');
      try {
        return send(
          res,
          200,
          await readFile(file),
          TYPES[extname(file)] ?? 'application/octet-stream',
        );
      } catch {
        return send(res, 404, 'Not found', 'text/plain');
      }
    })().catch((e: unknown) => {
      opts.logger.error({ err: e }, 'Preview request failed');
      if (!res.headersSent) send(res, 500, 'Internal error', 'text/plain');
    });
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  hostHeader = `127.0.0.1:${port}`;

  return {
    url: `http://127.0.0.1:${port}/`,
    services,
    async close() {
      for (const off of offs) off();
      for (const s of streams) s.end();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await services.close();
    },
  };
}
