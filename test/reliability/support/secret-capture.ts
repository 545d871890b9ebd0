/**
 * Collects every secret the process registers with main/redact.ts (client secrets, Basic
 * credentials, and every access token the simulator issues or the client receives), so a
 * test can search its artefacts for them afterwards. A test file wires it with
 *
 *   vi.mock('../../main/redact', async (importOriginal) =>
 *     (await import('./support/secret-capture')).wrapRedact(await importOriginal()));
 *
 * The real registerSecret still runs: redaction behaves exactly as in the app.
 */
import type * as Redact from '../../../main/redact';

const captured = new Set<string>();

/** The redact module with registerSecret wrapped to record what it is given. */
export function wrapRedact(real: typeof Redact): typeof Redact {
  return {
    ...real,
    registerSecret(value: string | undefined | null) {
      if (value && value.length >= 6) captured.add(value);
      real.registerSecret(value);
    },
  };
}

/** Every secret registered so far in this process (a copy). */
export function capturedSecrets(): string[] {
  return [...captured];
}

/** Records a secret the test knows of itself (e.g. one it generated). */
export function noteSecret(value: string): void {
  captured.add(value);
}

/**
 * The strings to search for: each secret, plus the signature part of JWT-shaped tokens (a
 * token cut in pieces by a log formatter would still leak its signature).
 */
export function needlesOf(secrets: readonly string[]): string[] {
  const out = new Set<string>();
  for (const s of secrets) {
    out.add(s);
    const parts = s.split('.');
    if (parts.length === 3 && parts[2]!.length >= 16) out.add(parts[2]!);
  }
  return [...out];
}
