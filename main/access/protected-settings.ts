/**
 * Settings a manager PIN guards once one is set: the connection to Dintero (account, client,
 * payment profile, return URL, store) and the refund rules (the approval limit and the
 * reasons). Staff change everything else freely.
 */
import type { Settings } from '../../common/domain';

export const PROTECTED_SETTINGS = [
  'accountId',
  'clientId',
  'profileId',
  'returnUrl',
  'storeId',
  'refundApprovalAbove',
  'refundReasons',
] as const satisfies readonly (keyof Settings)[];

/** True when `patch` changes any protected setting's value (sending it unchanged is not). */
export function changesProtected(patch: Partial<Settings>, current: Settings): boolean {
  return PROTECTED_SETTINGS.some(
    (k) => patch[k] !== undefined && JSON.stringify(patch[k]) !== JSON.stringify(current[k]),
  );
}
