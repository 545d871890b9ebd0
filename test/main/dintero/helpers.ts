/** Shared setup for the Dintero client tests: a fake, a client on it, a fake clock and sleep. */
import { Writable } from 'node:stream';
import { createDinteroClient, type DinteroClientOptions } from '../../../main/dintero/client';
import type { CreateSessionRequest, DinteroClient } from '../../../main/dintero/types';
import { createLogger, type Logger } from '../../../main/log';
import { startFakeDintero, type FakeDintero } from './fake-dintero';

export interface Harness {
  fake: FakeDintero;
  client: DinteroClient;
  clock: { t: number };
  sleeps: number[];
  logLines: string[];
  logger: Logger;
}

/** Starts a fake and a client pointed at it; `random` is 0.5 and `sleep` only records. */
export async function harness(opts: Partial<DinteroClientOptions> = {}): Promise<Harness> {
  const fake = await startFakeDintero();
  const clock = { t: Date.UTC(2026, 0, 1) };
  const sleeps: number[] = [];
  const logLines: string[] = [];
  const logger = createLogger({
    level: 'debug',
    stream: new Writable({
      write(chunk: Buffer, _e, cb) {
        logLines.push(chunk.toString('utf8'));
        cb();
      },
    }),
  });
  const client = createDinteroClient({
    apiUrl: fake.url,
    checkoutUrl: fake.url,
    credentials: async () => ({ ...fake.credentials }),
    now: () => clock.t,
    random: () => 0.5,
    sleep: async (ms) => {
      sleeps.push(ms);
    },
    timeoutMs: 2_000,
    systemName: 'paylink-desk',
    systemVersion: '0.1.0',
    logger,
    ...opts,
  });
  return { fake, client, clock, sleeps, logLines, logger };
}

/** Awaits a promise that must reject and returns the rejection. */
export async function rejection(p: Promise<unknown>): Promise<unknown> {
  try {
    await p;
  } catch (e) {
    return e;
  }
  throw new Error('expected the promise to reject');
}

/** A full create-session body (fields: https://docs.dintero.com/docs/checkout/create-session). */
export const sessionRequest: CreateSessionRequest = {
  profile_id: 'default',
  url: { return_url: 'https://shop.example/paid' },
  customer: { phone_number: '+4791234567' },
  order: {
    amount: 29990,
    currency: 'NOK',
    merchant_reference: 'POS1-000123',
    vat_amount: 5998,
    items: [
      {
        line_id: '1',
        id: 'sku-1',
        description: 'Chair',
        quantity: 1,
        amount: 29990,
        vat_amount: 5998,
        vat: 25,
      },
    ],
  },
  configuration: { publish: [{ type: 'checkout-link', channel: 'sms' }] },
  expires_at: '2026-01-01T12:00:00Z',
};
