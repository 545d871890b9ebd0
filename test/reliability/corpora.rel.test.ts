/**
 * The phone-number and amount corpora (test/common/fixtures) through the same validation main
 * uses — parseCustomerPhone, parseAmount, validateNewOrder — and EVERY case through the
 * `orders:create` dispatch of a real AppServices (training mode, real handler table): 0 invalid
 * accepted, 0 valid rejected, the right E.164 / minor units / reason. Orders the desk accepted
 * are then sent to the training simulator, which validates like Dintero: every one must reach
 * link_sent (a number the desk accepts but Dintero refuses would fail there).
 *
 * The text corpus (test/common/fixtures/text-corpus) goes through every free-text field a
 * person types, straight over IPC as a hostile renderer would send it: the order's customer
 * name, email, note and line description (`orders:create`), the refund reason
 * (`orders:refund`, and the engine itself) and the terminal name, store id, client id, profile
 * id and return URL (`settings:save`). Every control, direction and invisible character is
 * refused with `invalid_input` naming the field; plain text in any script is accepted and
 * reaches link_sent at the simulator.
 */
import { english } from '../../common/i18n';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OrderSummary, Settings } from '../../common/domain';
import type { CreateOrderResult, IpcResult, SettingsView } from '../../common/ipc-contract';
import { parseAmount } from '../../common/money';
import { validateNewOrder } from '../../common/order-input';
import { parseCustomerPhone } from '../../common/phone';
import { MemorySecretStore } from '../../main/credentials/memory-secret-store';
import { dispatch } from '../../main/ipc/dispatch';
import { createHandlerTable } from '../../main/ipc/handlers';
import { createLogger, logDir } from '../../main/log';
import { AppServices } from '../../main/services';
import { AMOUNT_CORPUS } from '../common/fixtures/amount-corpus';
import { PHONE_CORPUS } from '../common/fixtures/phone-corpus';
import { HIDDEN_TEXT, PLAIN_TEXT } from '../common/fixtures/text-corpus';
import { FAST_TIMING, phoneNo, summary, tempRoot, waitFor, type TempRoot } from './support/env';

/** The highest shop limit Settings allows (major units). */
const MAX_ORDER = 21_000_000;

describe('phone and amount corpora through main validation and orders:create', () => {
  let root: TempRoot;
  let svc: AppServices;

  beforeAll(async () => {
    root = tempRoot('corpora');
    const dataDir = root.dir('data');
    svc = await AppServices.create({
      dataDir,
      secretStore: new MemorySecretStore(),
      logger: createLogger({ dir: logDir(dataDir), level: 'info' }),
      version: 'rel',
      engineTiming: { ...FAST_TIMING, pollFastMs: 5000, pollSlowMs: 5000 },
    });
  });

  afterAll(async () => {
    await svc?.close();
    await root?.cleanup();
  });

  it('0 invalid accepted, 0 valid rejected', async () => {
    const table = createHandlerTable(svc);
    const call = <T>(channel: string, input: unknown): Promise<IpcResult<T>> =>
      dispatch(table, channel, input, { actor: 'Corpus' }) as Promise<IpcResult<T>>;
    const saved = await call('settings:save', { maxOrderAmount: MAX_ORDER });
    expect(saved.ok).toBe(true);

    const problems: string[] = [];
    const f = {
      validAccepted: 0,
      validRejected: 0,
      wrongE164: 0,
      invalidRejected: 0,
      invalidAccepted: 0,
      wrongReason: 0,
    };
    const created: OrderSummary[] = [];
    let textCases = 0;
    const cases = (): number => PHONE_CORPUS.length + AMOUNT_CORPUS.length + textCases;
    expect(PHONE_CORPUS.length).toBeGreaterThanOrEqual(200);

    // ---- phones -------------------------------------------------------------------
    for (const [i, c] of PHONE_CORPUS.entries()) {
      const label = `phone ${JSON.stringify(c.input)} (${c.country}, ${c.note})`;
      const parsed = parseCustomerPhone(c.input, c.country);
      const order = {
        phone: c.input,
        country: c.country,
        amount: 10_000 + i,
        currency: 'NOK' as const,
        linkLifetimeHours: 24,
        delivery: 'sms' as const,
        allowDuplicate: true,
      };
      const v = validateNewOrder(order, { maxOrderAmount: MAX_ORDER });
      const d = await call<CreateOrderResult>('orders:create', order);
      const ok = [parsed.ok, v.ok, d.ok && d.value.created];
      if (c.expect.ok) {
        const want = c.expect.e164;
        if (ok.every(Boolean)) f.validAccepted++;
        else {
          f.validRejected++;
          problems.push(
            `valid ${label} rejected (parse ${ok[0]}, validate ${ok[1]}, dispatch ${ok[2]})`,
          );
        }
        const got = [
          parsed.ok ? parsed.e164 : undefined,
          v.ok ? v.order.phoneE164 : undefined,
          d.ok && d.value.created ? d.value.order.phone : undefined,
        ];
        if (got.some((g) => g !== undefined && g !== want)) {
          f.wrongE164++;
          problems.push(`${label}: E.164 ${got.join(' / ')}, expected ${want}`);
        }
      } else {
        const rejectedEverywhere =
          !parsed.ok && !v.ok && 'phone' in v.errors && !d.ok && d.error.code === 'invalid_input';
        if (rejectedEverywhere) f.invalidRejected++;
        else {
          f.invalidAccepted++;
          problems.push(
            `invalid ${label} accepted (parse ${ok[0]}, validate ${ok[1]}, dispatch ${ok[2]})`,
          );
        }
        if (!parsed.ok && parsed.reason !== c.expect.reason) {
          f.wrongReason++;
          problems.push(`${label}: reason ${parsed.reason}, expected ${c.expect.reason}`);
        }
      }
      if (d.ok && d.value.created) created.push(d.value.order);
    }

    // ---- amounts ------------------------------------------------------------------
    const maxMinor = MAX_ORDER * 100;
    for (const [i, c] of AMOUNT_CORPUS.entries()) {
      const label = `amount ${JSON.stringify(c.input)} (${c.currency}, ${c.note})`;
      const parsed = parseAmount(c.input, c.currency);
      // What the entry screen sends: the parsed minor units, or (refused) the raw text.
      const amount = parsed.ok ? parsed.minor : c.input;
      const order = {
        phone: phoneNo(1000 + i),
        country: 'NO' as const,
        amount,
        currency: c.currency,
        linkLifetimeHours: 24,
        delivery: 'sms' as const,
        allowDuplicate: true,
      };
      const d = await call<CreateOrderResult>('orders:create', order);
      if (c.expect.ok) {
        const want = c.expect.minor;
        const withinLimit = want <= maxMinor;
        const v = parsed.ok
          ? validateNewOrder({ ...order, amount: parsed.minor }, { maxOrderAmount: MAX_ORDER })
          : undefined;
        const accepted =
          parsed.ok &&
          parsed.minor === want &&
          v?.ok === withinLimit &&
          (d.ok && d.value.created) === withinLimit;
        if (accepted) f.validAccepted++;
        else {
          f.validRejected++;
          problems.push(
            `valid ${label}: parse ${parsed.ok ? parsed.minor : parsed.reason}, expected ${want}; ` +
              `validate ${v?.ok ? 'ok' : JSON.stringify(v && !v.ok ? v.errors : {})}, dispatch ${d.ok ? 'created' : d.error.code} (within the shop limit: ${withinLimit})`,
          );
        }
        if (d.ok && d.value.created && d.value.order.amount !== want) {
          f.wrongE164++;
          problems.push(`${label}: journaled ${d.value.order.amount}, expected ${want}`);
        }
      } else {
        const rejected = !parsed.ok && !d.ok && d.error.code === 'invalid_input';
        if (rejected) f.invalidRejected++;
        else {
          f.invalidAccepted++;
          problems.push(
            `invalid ${label} accepted (parse ${parsed.ok ? parsed.minor : 'refused'}, dispatch ${d.ok ? 'ok' : d.error.code})`,
          );
        }
        if (!parsed.ok && parsed.reason !== c.expect.reason) {
          f.wrongReason++;
          problems.push(`${label}: reason ${parsed.reason}, expected ${c.expect.reason}`);
        }
      }
      if (d.ok && d.value.created) created.push(d.value.order);
    }

    // ---- free text: hidden characters in every field, straight over IPC ------------
    const orderFields: [string, (text: string, ch: string) => Record<string, unknown>][] = [
      ['customerName', (t) => ({ customerName: t })],
      ['email', (_t, ch) => ({ email: `kari${ch}@example.com` })],
      ['note', (t) => ({ note: t })],
      ['externalReference', (t) => ({ externalReference: t })],
      [
        'items.0.description',
        (t) => ({ items: [{ description: t, quantity: 1, unitPrice: 10_000, vatPercent: 25 }] }),
      ],
    ];
    const baseOrder = (i: number): Record<string, unknown> => ({
      phone: phoneNo(5000 + i),
      country: 'NO',
      amount: 10_000,
      currency: 'NOK',
      linkLifetimeHours: 24,
      delivery: 'sms',
      allowDuplicate: true,
    });
    const settingsFields: [keyof Settings, (t: string) => string][] = [
      ['terminalName', (t) => t],
      ['storeId', (t) => t],
      ['clientId', (t) => t],
      ['profileId', (t) => t],
      ['returnUrl', (t) => `https://shop.example/${t}`],
    ];
    const settingsBefore = await call<SettingsView>('settings:get', {});
    let n = 0;
    for (const c of HIDDEN_TEXT) {
      const what = `${JSON.stringify(c.text)} (${c.note})`;
      for (const [field, patch] of orderFields) {
        if (field === 'note' && c.multilineOk) continue;
        textCases++;
        const d = await call<CreateOrderResult>('orders:create', {
          ...baseOrder(n++),
          ...patch(c.text, c.char),
        });
        if (!d.ok && d.error.code === 'invalid_input' && d.error.fields?.[field] !== undefined) {
          f.invalidRejected++;
        } else {
          f.invalidAccepted++;
          problems.push(`${field} ${what} accepted by orders:create`);
        }
        if (d.ok && d.value.created) created.push(d.value.order);
      }
      for (const [field, value] of settingsFields) {
        textCases++;
        const d = await call<SettingsView>('settings:save', { [field]: value(c.text) });
        const saved = d.ok ? d.value.settings[field] : undefined;
        // The URL parser drops tabs and line breaks itself: what is saved holds none.
        const cleaned =
          field === 'returnUrl' && typeof saved === 'string' && !/[\p{Cc}\p{Cf}]/u.test(saved);
        if ((!d.ok && d.error.fields?.[field] !== undefined) || cleaned) f.invalidRejected++;
        else {
          f.invalidAccepted++;
          problems.push(`${field} ${what} accepted by settings:save`);
        }
      }
      textCases += 2;
      const refund = await call('orders:refund', { id: 'any', reason: c.text });
      let engineRefused = false;
      try {
        await svc.engine.refund('any', undefined, c.text, 'Corpus');
      } catch (e) {
        engineRefused = (e as { code?: string }).code === 'invalid_input';
      }
      for (const [ok, where] of [
        [!refund.ok && refund.error.fields?.reason !== undefined, 'orders:refund'],
        [engineRefused, 'the engine'],
      ] as const) {
        if (ok) f.invalidRejected++;
        else {
          f.invalidAccepted++;
          problems.push(`refund reason ${what} accepted by ${where}`);
        }
      }
    }
    const restored = await call<SettingsView>('settings:save', {
      ...(settingsBefore.ok ? settingsBefore.value.settings : {}),
      maxOrderAmount: MAX_ORDER,
    });
    expect(restored.ok).toBe(true);
    for (const t of PLAIN_TEXT) {
      textCases++;
      const d = await call<CreateOrderResult>('orders:create', {
        ...baseOrder(n++),
        customerName: t,
        note: `${t}\nRing på.`,
        items: [{ description: t, quantity: 1, unitPrice: 10_000, vatPercent: 25 }],
      });
      if (d.ok && d.value.created && d.value.order.customerName === t) {
        f.validAccepted++;
        created.push(d.value.order);
      } else {
        f.validRejected++;
        problems.push(
          `plain text ${JSON.stringify(t)} refused: ${d.ok ? 'duplicate' : d.error.code}`,
        );
      }
    }

    // ---- what the desk accepted, Dintero (the simulator) must accept too ------------
    const engine = svc.engine;
    await waitFor(() => engine.status().queueLength === 0, {
      timeoutMs: 60_000,
      what: 'every accepted order sent',
      describe: () => JSON.stringify(engine.status()),
    });
    const refusedByDintero = created.filter(
      (o) => engine.getOrder(o.id).order.state !== 'link_sent',
    );
    for (const o of refusedByDintero) {
      const now = engine.getOrder(o.id).order;
      problems.push(
        `accepted ${o.phone.slice(0, 4)}… ${o.amount} ended ${now.state}: ${now.lastError ? english(now.lastError) : ''}`,
      );
    }

    const failed =
      f.validRejected + f.invalidAccepted + f.wrongE164 + f.wrongReason + refusedByDintero.length;
    console.log(
      `corpora: ${PHONE_CORPUS.length} phones + ${AMOUNT_CORPUS.length} amounts (each through parse, ` +
        `validateNewOrder and orders:create) + ${textCases} texts (${HIDDEN_TEXT.length} hidden characters in every free-text field over IPC, ` +
        `${PLAIN_TEXT.length} plain) = ${cases()} cases; valid accepted ${f.validAccepted}, valid rejected ${f.validRejected}, ` +
        `invalid rejected ${f.invalidRejected}, invalid accepted ${f.invalidAccepted}, wrong E.164/amount ${f.wrongE164}, ` +
        `wrong reason ${f.wrongReason}; ${created.length} orders created, ${created.length - refusedByDintero.length} reached link_sent at the simulator`,
    );
    for (const p of problems.slice(0, 20)) console.log(`corpora: ✗ ${p}`);
    summary(
      'corpora',
      cases() - (f.validRejected + f.invalidAccepted),
      f.validRejected + f.invalidAccepted,
    );
    expect(problems).toEqual([]);
    expect(failed).toBe(0);
  });
});
