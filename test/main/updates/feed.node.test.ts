/**
 * The update feed for real: a feed served from 127.0.0.1 and electron-updater's own updater
 * (GenericProvider, semver, the sha512 check of builder-util-runtime) run in plain Node behind
 * the desk's own code (update-feed.ts, desk-updater.ts): the code the packaged app runs, with
 * Node's http in place of Electron's net.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { createLogger } from '../../../main/log';
import { DeskUpdater } from '../../../main/updates/desk-updater';
import { appUpdaterFeed } from '../../../main/updates/update-feed';
import {
  installer,
  latestYml,
  plainNodeUpdater,
  startFeed,
  type FeedServer,
  type PlainNodeUpdater,
} from './feed-server';

const logger = createLogger({ level: 'silent' });
const cleanups: Array<() => unknown> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

/** A feed, the app at `version` reading it, and the desk's updater over both (no timer). */
async function setup(version: string, channel?: string | number) {
  const feed = await startFeed(channel);
  cleanups.push(() => feed.close());
  const node = plainNodeUpdater(version, feed.url);
  cleanups.push(() => node.dispose());
  return { feed, node, desk: deskUpdater(node) };
}

function deskUpdater(node: PlainNodeUpdater, restartApp = () => undefined) {
  return new DeskUpdater({
    feed: appUpdaterFeed(node.updater, logger),
    restartApp,
    logger,
    // The tests tick by hand.
    repeat: () => () => undefined,
  });
}

/** Publishes `release` on the feed (its description and its installer). */
function publish(feed: FeedServer, release: ReturnType<typeof installer>, bytes = release.bytes) {
  feed.channel = latestYml(release);
  feed.files.set(release.name, bytes);
}

const asked = (feed: FeedServer) => feed.requests.filter((p) => /\/latest[^/]*\.yml$/.test(p));

describe('the feed on 127.0.0.1, read by electron-updater in plain Node', () => {
  it('a newer version is downloaded, verified against the feed and ready', async () => {
    const { feed, node, desk } = await setup('1.4.0');
    const release = installer('1.5.0');
    publish(feed, release);

    await desk.tick();

    expect(desk.state).toEqual({ kind: 'ready', version: '1.5.0' });
    expect(asked(feed)).toHaveLength(1);
    expect(feed.downloads(release.name)).toBe(1);
    // The verified installer is kept where electron-updater installs it from.
    expect(node.pendingFiles()).toContain(release.name);
  });

  it('an older or the same version: up to date, nothing downloaded', async () => {
    for (const [running, offered] of [
      ['1.5.0', '1.4.9'],
      ['1.5.0', '1.5.0'],
    ] as const) {
      const { feed, node, desk } = await setup(running);
      const release = installer(offered);
      publish(feed, release);

      await desk.tick();

      expect(desk.state).toEqual({ kind: 'upToDate', latest: offered });
      expect(asked(feed)).toHaveLength(1);
      expect(feed.downloads(release.name)).toBe(0);
      expect(node.pendingFiles()).toEqual([]);
    }
  });

  it('a damaged download (bytes differ from the feed sha512) is refused and never ready', async () => {
    const { feed, node, desk } = await setup('1.4.0');
    const release = installer('1.5.0');
    const damaged = Buffer.from(release.bytes);
    damaged[1000] = damaged[1000]! ^ 0xff;
    publish(feed, release, damaged);
    const seen: string[] = [];
    desk.onChange((s) => seen.push(s.kind));

    await desk.tick();

    expect(desk.state).toEqual({ kind: 'failed', code: 'download_damaged' });
    expect(feed.downloads(release.name)).toBe(1);
    expect(seen).toEqual(['checking', 'downloading', 'failed']);
    expect(seen).not.toContain('ready');
    // Nothing of it is kept to be installed.
    expect(node.pendingFiles()).toEqual([]);
    expect(desk.restart({ queued: 0, outcomeUnknown: 0, operationsPending: 0 })).toEqual({
      restarting: false,
      why: 'not_ready',
    });
  });

  it('a feed answering garbage or an HTTP error fails with a clear code', async () => {
    const cases: Array<[string | number, string]> = [
      ['<html><body>Welcome to nginx!</body></html>', 'feed_invalid'],
      ['version: [not, a, version\n  files: {', 'feed_invalid'],
      ['version: 2.0.0\n', 'feed_invalid'],
      [404, 'feed_error'],
      [500, 'feed_error'],
    ];
    for (const [channel, code] of cases) {
      const { desk, feed } = await setup('1.4.0', channel);
      await desk.tick();
      expect(desk.state, String(channel)).toEqual({ kind: 'failed', code });
      expect(feed.requests.filter((p) => !p.endsWith('.yml'))).toEqual([]);
    }
  });

  it('a feed that cannot be reached fails with feed_unreachable; the app keeps working', async () => {
    // Nothing listens there any more: the connection is refused (electron-updater itself tries
    // a refused connection a few times, about 3 s, before it gives up).
    const { feed, desk } = await setup('1.4.0');
    await feed.close();

    await desk.tick();

    expect(desk.state).toEqual({ kind: 'failed', code: 'feed_unreachable' });
    expect(desk.restart({ queued: 0, outcomeUnknown: 0, operationsPending: 0 })).toMatchObject({
      restarting: false,
    });
  }, 20_000);

  it('a line that drops the connection: feed_unreachable, and the retry an hour later works', async () => {
    const { feed, node } = await setup('1.4.0');
    const release = installer('1.5.0');
    publish(feed, release);
    feed.down = true;
    let t = Date.parse('2026-05-04T08:00:00Z');
    const desk = new DeskUpdater({
      feed: appUpdaterFeed(node.updater, logger),
      restartApp: () => undefined,
      logger,
      now: () => t,
      repeat: () => () => undefined,
    });

    await desk.tick();
    expect(desk.state).toEqual({ kind: 'failed', code: 'feed_unreachable' });

    feed.down = false;
    t += 59 * 60 * 1000;
    await desk.tick();
    expect(asked(feed)).toHaveLength(1); // not yet: retries come after an hour
    t += 60 * 1000;
    await desk.tick();
    expect(desk.state).toEqual({ kind: 'ready', version: '1.5.0' });
    expect(asked(feed)).toHaveLength(2);
  });
});

describe('electron-builder.yml', () => {
  const cfg = parse(
    readFileSync(join(import.meta.dirname, '..', '..', '..', 'electron-builder.yml'), 'utf8'),
  ) as Record<string, any>;

  it('publishes to a self-hosted generic feed, a placeholder on a reserved domain', () => {
    expect(cfg.publish.provider).toBe('generic');
    const url = new URL(cfg.publish.url as string);
    expect(url.protocol).toBe('https:');
    expect(url.hostname.endsWith('.invalid')).toBe(true);
  });

  it('builds the zip Squirrel.Mac updates from, beside the dmg', () => {
    const targets = (cfg.mac.target as Array<{ target: string }>).map((t) => t.target);
    expect(targets).toEqual(expect.arrayContaining(['dmg', 'zip']));
  });
});
