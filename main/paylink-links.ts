/**
 * paylink: links reaching the running desk: the last command-line argument at start, a second
 * launch's arguments, macOS's open-url, the preview's command line. Each is read with the
 * desk's settings (common/paylink-link.ts) and handed to the page as 'navigate:newOrder'.
 *
 * The page may not be listening yet (a link that started the app arrives before the window has
 * loaded, or while it reloads), so the latest link is also kept until a page takes it
 * ('app:takeLink'). Both carry the same number, and the page fills the form in once per number.
 * Nothing here sends, saves or changes anything: a link only fills in New order.
 * Plain Node; main/index.ts and the preview CLI only wire it.
 */
import {
  isPaylinkLink,
  parsePaylinkLink,
  type NewOrderLink,
  type PaylinkLinkOptions,
} from '../common/paylink-link';
import type { Logger } from './log';

/** What the inbox needs from the running app. */
export interface LinkInboxOptions {
  /** The desk's settings a link is read with (read anew for every link). */
  settings: () => PaylinkLinkOptions;
  /** Hands a link to the pages listening now ('navigate:newOrder'). */
  emit: (link: NewOrderLink) => void;
  logger?: Logger;
}

/** The links of one running desk: read, announced, and kept until a page takes the latest. */
export class LinkInbox {
  private seq = 0;
  private pending: NewOrderLink | null = null;

  constructor(private readonly opts: LinkInboxOptions) {}

  /**
   * Reads a link and hands it on: the values to fill in, or why nothing is filled in. A newer
   * link replaces one no page has taken yet (New order holds one order).
   */
  receive(link: string): NewOrderLink {
    const result = parsePaylinkLink(link, this.opts.settings());
    this.seq += 1;
    const handed: NewOrderLink = result.ok
      ? { seq: this.seq, prefill: result.prefill }
      : { seq: this.seq, problem: result.problem };
    // Never the link itself: it holds the customer's phone number.
    this.opts.logger?.info(
      result.ok
        ? { link: 'filled', fields: Object.keys(result.prefill) }
        : { link: 'refused', problem: result.problem.key },
      'A paylink: link asked for New order',
    );
    this.pending = handed;
    this.opts.emit(handed);
    return handed;
  }

  /** The link no page has taken yet, once; null when there is none. */
  take(): NewOrderLink | null {
    const link = this.pending;
    this.pending = null;
    return link;
  }
}

/**
 * The paylink: link among command-line arguments: the last argument, when it is one. Switches
 * (`--…`) after it are passed over (Chromium may append its own to a second launch's line).
 */
export function linkFromArgv(argv: readonly string[]): string | undefined {
  for (let i = argv.length - 1; i >= 0; i--) {
    const arg = argv[i]!;
    if (arg.startsWith('--')) continue;
    return isPaylinkLink(arg) ? arg : undefined;
  }
  return undefined;
}
