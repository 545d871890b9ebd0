/**
 * Typed Dintero failures. Each says what a person can do about it, and none ever carries a
 * client secret, a token or a full phone number (messages are built here, not copied from
 * request data).
 */
import { msg, type Message } from '../../common/i18n/messages';

export type DinteroErrorKind =
  /** 400: Dintero refused the request; `dinteroMessage` and `fieldErrors` say why. */
  | 'invalid_request'
  /** 401 twice, or the token request refused: wrong client id/secret. */
  | 'authentication'
  /** 403: the client lacks the grant or scope for this account. */
  | 'permission'
  /** 404 */
  | 'not_found'
  /** 429: wait `retryAfterMs`. */
  | 'rate_limited'
  /** 5xx (and 409/503 conflicts): Dintero's side; try later. */
  | 'unavailable'
  /** Could not reach Dintero at all (DNS, refused, offline). Nothing was sent. */
  | 'network'
  /** A POST was sent but its answer was lost (timeout, reset after sending, bad body). */
  | 'outcome_unknown'
  /** Credentials are not configured. */
  | 'not_configured';

export class DinteroError extends Error {
  override readonly name = 'DinteroError';
  constructor(
    readonly kind: DinteroErrorKind,
    message: string,
    readonly details: {
      status?: number;
      /** Dintero's own error.message (safe: it describes our request, not secrets). */
      dinteroMessage?: string;
      dinteroCode?: string;
      fieldErrors?: Array<{ field?: string; message: string }>;
      retryAfterMs?: number;
      /** Which call: e.g. 'POST /v1/sessions-profile'. */
      operation?: string;
    } = {},
    /**
     * What the screen shows, in the desk's language; when absent, the screen says what this
     * kind of failure means (`error.dintero.<kind>`). `message` stays English, for logs.
     */
    readonly text: Message = msg(`error.dintero.${kind}`),
  ) {
    super(message);
  }

  /** True when nothing can have happened at Dintero, so resending is safe. */
  get nothingSent(): boolean {
    return this.kind === 'network' || this.kind === 'not_configured';
  }

  /** True for failures that may clear by themselves (offline, 5xx, 429). */
  get transient(): boolean {
    return this.kind === 'network' || this.kind === 'unavailable' || this.kind === 'rate_limited';
  }
}

export const isDinteroError = (e: unknown): e is DinteroError => e instanceof DinteroError;
