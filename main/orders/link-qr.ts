/**
 * The QR code of an order's payment link: Dintero's own, or drawn locally when Dintero
 * cannot be asked (offline), so a customer at the counter can still scan it.
 */
import { msg } from '../../common/i18n/messages';
import QRCode from 'qrcode';
import type { EngineContext } from './engine-context';
import { DeskError } from '../desk-error';

/** The link and a QR code of it (Dintero's; drawn locally when Dintero cannot be asked). */
export async function linkQr(
  ctx: EngineContext,
  id: string,
): Promise<{ url: string; qrDataUrl: string }> {
  const row = ctx.journal.get(id);
  if (!row) throw new DeskError('not_found', msg('error.orderNotFound'));
  if (!row.sessionId) throw new DeskError('not_allowed', msg('reason.notSentYet'));
  try {
    const qrDataUrl = await ctx.client.sessionQr(row.sessionId, { size: 300 });
    return { url: row.linkUrl ?? '', qrDataUrl };
  } catch (err) {
    if (!row.linkUrl) throw err;
    const qrDataUrl = await QRCode.toDataURL(row.linkUrl, { width: 300, margin: 1 });
    return { url: row.linkUrl, qrDataUrl };
  }
}
