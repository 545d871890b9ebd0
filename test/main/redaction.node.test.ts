/**
 * The one redaction rule: client secrets, tokens and full phone numbers never reach a log line.
 */
import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createLogger } from '../../main/log';
import { maskPhone, redact, redactText, registerSecret } from '../../main/redact';

function capture() {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _e, cb) {
      lines.push(chunk.toString('utf8'));
      cb();
    },
  });
  return { lines, logger: createLogger({ stream, level: 'debug' }) };
}

describe('redaction', () => {
  it('masks phone numbers in every typed form', () => {
    for (const p of [
      '+4791234567',
      '+47 912 34 567',
      '004791234567',
      '912 34 567',
      '+46 70 123 45 67',
    ]) {
      const out = redactText(`call ${p} now`);
      expect(out).not.toMatch(/91234567|912 34 567|1234567|123 45 67/);
      expect(out).toContain('•••');
    }
    expect(maskPhone('+4791234567')).toBe('+47 ••• ••• 67');
    const adjacent = redactText('+4791234567 (912 34 567), 0047-912-34-567');
    expect(adjacent).not.toMatch(/\d{3}/);
  });

  it('leaves dates, references and amounts alone', () => {
    const s = 'order DESK1-20261125-0042 for P12345678 at 2026-11-25T14:38:41.000Z amount 29990';
    expect(redactText(s)).toBe(s);
  });

  it('removes registered secrets, bearer/basic credentials and JWTs', () => {
    registerSecret('s3cr3t-client-secret-value');
    const jwt =
      'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U';
    const out = redactText(
      `secret s3cr3t-client-secret-value; Authorization: Bearer abc.def.ghi; Basic dXNlcjpwYXNz; ${jwt}`,
    );
    expect(out).not.toContain('s3cr3t-client-secret-value');
    expect(out).not.toContain('abc.def.ghi');
    expect(out).not.toContain('dXNlcjpwYXNz');
    expect(out).not.toContain(jwt);
  });

  it('redacts sensitive keys and nested values in objects', () => {
    const out = redact({
      client_secret: 'x',
      access_token: 'y',
      headers: { authorization: 'Bearer z' },
      customer: { phone_number: '+4791234567', name: 'Kari' },
      nested: [{ note: 'ring 91234567' }],
    });
    expect(JSON.stringify(out)).not.toMatch(/"x"|"y"|Bearer z|91234567/);
    expect(out).toMatchObject({ customer: { name: 'Kari' } });
  });
});

describe('logger', () => {
  it('writes no secret, token or full phone number, whatever is logged', async () => {
    registerSecret('another-secret-xyz-987');
    const { lines, logger } = capture();
    logger.info(
      { phone: '+4791234567', clientSecret: 'another-secret-xyz-987' },
      'sent to +47 912 34 567',
    );
    logger.error(
      { err: new Error('token another-secret-xyz-987 failed for 004791234567') },
      'failed',
    );
    logger.warn('Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.abcdefghijk');
    await new Promise((r) => setTimeout(r, 20));
    const all = lines.join('\n');
    expect(lines).toHaveLength(3);
    expect(all).not.toMatch(/another-secret-xyz-987|91234567|912 34 567|eyJhbGciOiJIUzI1NiJ9/);
    expect(all).toContain('sent to');
  });
});
