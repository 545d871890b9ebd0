/**
 * The error for what staff did or may not do, thrown by the order engine (an order that does
 * not exist, an action its state does not allow, a second operation while one is running,
 * invalid input) and by the settings side of main (a secret saved before the account ID).
 * The IPC dispatcher turns it into an IpcError with the same code, message and fields, so the
 * screen can say it plainly; anything else that escapes a handler is an internal error.
 */
import { english } from '../common/i18n';
import type { Message } from '../common/i18n/messages';

/** The IPC error codes a DeskError can carry. */
export type DeskErrorCode =
  | 'not_found'
  | 'not_allowed'
  | 'approval_required'
  | 'wrong_pin'
  | 'locked'
  | 'conflict'
  | 'invalid_input'
  | 'journal_unavailable';

/**
 * A refusal staff should see; maps 1:1 to an IPC error code. `text` is what the screen shows
 * (a catalog message, in the desk's language); Error.message is its English words, for logs.
 */
export class DeskError extends Error {
  override readonly name = 'DeskError';
  constructor(
    readonly code: DeskErrorCode,
    readonly text: Message,
    /** Per-field reasons (invalid_input), keyed like the input's fields. */
    readonly fields?: Record<string, Message>,
  ) {
    super(english(text));
  }
}
