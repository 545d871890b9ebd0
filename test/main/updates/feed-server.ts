/**
 * A self-hosted update feed on 127.0.0.1 (node:http, ephemeral port), as a shop would publish
 * it on a static host: the channel file (`latest.yml`; electron-updater asks for
 * `latest-mac.yml` / `latest-linux.yml` on those systems, so every channel name gets the same
 * description) beside the installer. And electron-updater's own updater built in plain Node
 * for it: the NSIS updater (the desk's Windows installer) with a Node transport and an app
 * adapter over a temp folder, reading the same `app-update.yml` electron-builder writes into
 * the packaged app from electron-builder.yml's `publish`, with the URL pointed here.
 */
import { createHash } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import http, { type IncomingMessage, type RequestOptions, type ServerResponse } from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  configureRequestOptions,
  configureRequestUrl,
  HttpExecutor,
  type DownloadOptions,
} from 'builder-util-runtime';
import electronUpdater, { type AppUpdater } from 'electron-updater';
import { parse, stringify } from 'yaml';

const root = join(import.meta.dirname, '..', '..', '..');

/** The installer a release would publish: some bytes, and the feed's description of them. */
export function installer(version: string, size = 64 * 1024) {
  const bytes = Buffer.alloc(size);
  for (let i = 0; i < size; i++) bytes[i] = (i * 31 + version.length) & 0xff;
  const name = `Paylink-Desk-Setup-${version}.exe`;
  const sha512 = createHash('sha512').update(bytes).digest('base64');
  return { version, name, bytes, sha512 };
}

/** `latest.yml` as electron-builder writes it for an NSIS release. */
export function latestYml(i: ReturnType<typeof installer>): string {
  return stringify({
    version: i.version,
    files: [{ url: i.name, sha512: i.sha512, size: i.bytes.length }],
    path: i.name,
    sha512: i.sha512,
    releaseDate: '2026-05-01T08:00:00.000Z',
  });
}

export interface FeedServer {
  /** The feed's URL (what `publish.url` would say). */
  url: string;
  /** Paths asked for, in order (without the cache-busting query). */
  requests: string[];
  /** What the channel file says (a string served as is, or a status code). */
  channel: string | number;
  /** Files served beside it, by name. */
  files: Map<string, Buffer>;
  /** While true every connection is dropped without an answer (the line is down). */
  down: boolean;
  /** How many times each file was downloaded. */
  downloads(name: string): number;
  close(): Promise<void>;
}

/** Starts the feed under /desk/ on an ephemeral port of 127.0.0.1. */
export async function startFeed(channel: string | number = 404): Promise<FeedServer> {
  const requests: string[] = [];
  const feed = {
    requests,
    channel,
    files: new Map<string, Buffer>(),
    down: false,
  } as FeedServer;
  const server = http.createServer((req: IncomingMessage, res: ServerResponse) => {
    const path = decodeURIComponent((req.url ?? '/').split('?')[0]!);
    requests.push(path);
    if (feed.down) {
      req.socket.destroy();
      return;
    }
    const name = path.replace(/^\/desk\//, '');
    if (/^latest(-mac|-linux(-[a-z0-9]+)?)?\.yml$/.test(name)) {
      if (typeof feed.channel === 'number') {
        res.writeHead(feed.channel).end();
      } else {
        res.writeHead(200, { 'content-type': 'text/yaml' }).end(feed.channel);
      }
      return;
    }
    const file = feed.files.get(name);
    if (!file) {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { 'content-length': file.length }).end(file);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  feed.url = `http://127.0.0.1:${port}/desk`;
  feed.downloads = (name) => requests.filter((p) => p === `/desk/${name}`).length;
  feed.close = () =>
    new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    });
  return feed;
}

/**
 * electron-updater's HTTP executor over Node's http/https (its Electron one uses `net`): the
 * same request, redirect and download code of builder-util-runtime, including the sha512
 * DigestTransform that checks a download against the feed.
 */
class NodeHttpExecutor extends HttpExecutor<http.ClientRequest> {
  createRequest(options: RequestOptions, callback: (response: IncomingMessage) => void) {
    return (options.protocol === 'http:' ? http : https).request(options, callback);
  }

  download(url: URL, destination: string, options: DownloadOptions): Promise<string> {
    return options.cancellationToken.createPromise<string>((resolve, reject, onCancel) => {
      const requestOptions: RequestOptions = { headers: options.headers || undefined };
      configureRequestUrl(url, requestOptions);
      configureRequestOptions(requestOptions);
      this.doDownload(
        requestOptions,
        {
          destination,
          options,
          onCancel,
          callback: (error) => (error == null ? resolve(destination) : reject(error)),
          responseHandler: null,
        },
        0,
      );
    });
  }
}

export interface PlainNodeUpdater {
  updater: AppUpdater;
  /** The folder electron-updater keeps downloads in (`<cache>/<updaterCacheDirName>`). */
  cacheDir: string;
  /** Files under the cache's `pending` folder (where a verified download is kept). */
  pendingFiles(): string[];
  dispose(): void;
}

/**
 * electron-updater's NsisUpdater for version `version` of the app, reading its feed from an
 * `app-update.yml` made from electron-builder.yml's `publish` with the url replaced by `url`.
 */
export function plainNodeUpdater(version: string, url: string): PlainNodeUpdater {
  const dir = mkdtempSync(join(tmpdir(), 'paylink-update-'));
  const builder = parse(readFileSync(join(root, 'electron-builder.yml'), 'utf8')) as {
    publish: { provider: string; url: string };
  };
  const appUpdateYml = join(dir, 'app-update.yml');
  writeFileSync(
    appUpdateYml,
    stringify({ ...builder.publish, url, updaterCacheDirName: 'paylink-desk-updater' }),
  );
  const app = {
    version,
    name: 'Paylink Desk',
    isPackaged: true,
    appUpdateConfigPath: appUpdateYml,
    userDataPath: join(dir, 'user-data'),
    baseCachePath: join(dir, 'cache'),
    whenReady: () => Promise.resolve(),
    relaunch: () => undefined,
    quit: () => undefined,
    onQuit: () => undefined,
  };
  const updater = new electronUpdater.NsisUpdater(null, app);
  (updater as unknown as { httpExecutor: HttpExecutor<http.ClientRequest> }).httpExecutor =
    new NodeHttpExecutor();
  const cacheDir = join(app.baseCachePath, 'paylink-desk-updater');
  return {
    updater,
    cacheDir,
    pendingFiles: () => {
      try {
        return readdirSync(join(cacheDir, 'pending')).sort();
      } catch {
        return [];
      }
    },
    dispose: () => rmSync(dir, { recursive: true, force: true }),
  };
}
