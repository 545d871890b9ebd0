/**
 * The words of the Electron shell (tray, quit dialog, start-up failure, notification buttons)
 * as catalog messages, decided in plain Node so they are tested without Electron; the shell
 * translates them into the desk's language with a translator from common/i18n.
 */
import type { AppStatus } from '../common/domain';
import { msg, type Message } from '../common/i18n/messages';

/** The tray's status line: how many orders wait, offline, training. */
export function trayStatus(s: Pick<AppStatus, 'queueLength' | 'online' | 'mode'>): Message {
  const key = s.online ? 'tray.queued' : 'tray.queuedOffline';
  return msg(s.mode === 'training' ? `${key}Training` : key, { count: s.queueLength });
}

/** The tray menu's entries, top to bottom. */
export const TRAY_MENU = {
  open: msg('tray.open'),
  quit: msg('tray.quit'),
} as const;

/** The question asked when staff quit while orders still wait to be sent. */
export function quitQuestion(queueLength: number): {
  message: Message;
  detail: Message;
  buttons: [Message, Message];
} {
  return {
    message: msg('dialog.quitQueued', { count: queueLength }),
    detail: msg('dialog.quitQueuedDetail'),
    buttons: [msg('dialog.keepRunning'), msg('dialog.quitAnyway')],
  };
}

/** What a person reads when the app cannot start. */
export const START_FAILED = {
  title: msg('dialog.startFailed'),
  seeLog: msg('dialog.startFailedSeeLog'),
} as const;

/** The buttons a notification offers. */
export const NOTIFICATION_ACTIONS = {
  capture: msg('notify.actionCapture'),
  open: msg('notify.actionOpen'),
} as const;

/** The save dialog of a day-close export: its title and the file type's name. */
export function exportDialog(fileName: string): {
  title: Message;
  filterName: Message;
  extension: string;
} {
  const pdf = fileName.toLowerCase().endsWith('.pdf');
  return {
    title: msg('dayClose.saveTitle'),
    filterName: msg(pdf ? 'dayClose.filePdf' : 'dayClose.fileCsv'),
    extension: pdf ? 'pdf' : 'csv',
  };
}
