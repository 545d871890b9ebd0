/**
 * Words on screen come from the catalogs: no text between tags, no string a tag shows or says
 * (aria-label, title, placeholder, alt, a Field's label, ...) written into the renderer's JSX.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { scanJsx } from './jsx-text-scan';

const root = join(import.meta.dirname, '..', '..', 'renderer', 'src');
const files = readdirSync(root, { recursive: true })
  .map(String)
  .filter((f) => f.endsWith('.tsx'));

describe('JSX words', () => {
  it('every word in the renderer’s JSX comes from t(...)', () => {
    expect(files.length).toBeGreaterThan(10);
    const found = files.flatMap((f) => scanJsx(f, readFileSync(join(root, f), 'utf8')));
    expect(found.map((x) => `${x.file}:${x.line} ${x.where} ${JSON.stringify(x.text)}`)).toEqual(
      [],
    );
  });

  it('finds words written into JSX, and lets punctuation and t(...) be', () => {
    const sample = `
      export function Sample({ n, ok }: { n: number; ok: boolean }) {
        const { t } = useTranslation();
        return (
          <section aria-label="Orders" className="card card--wide" data-kind="paid">
            <h2>New order</h2>
            <p>{t('board.heading')} · {n} …</p>
            <img alt="QR code" src={url} />
            <input placeholder="Search" title={ok ? 'Fine' : t('errors.generic')} />
            <Field label="Amount" hint={\`Up to \${n}\`}>{' — '}</Field>
            <span>{ok ? t('board.empty') : 'Nothing here'}</span>
            <span>{\`\${t('entry.amountFromItems')}: \${n}\`}</span>
            <option value="nb" lang="nb">{n}</option>
          </section>
        );
      }`;
    expect(scanJsx('sample.tsx', sample).map((x) => `${x.where} ${x.text}`)).toEqual([
      'aria-label= Orders',
      'text between tags New order',
      'alt= QR code',
      'placeholder= Search',
      'title= Fine',
      'label= Amount',
      'hint= Up to',
      'shown literal Nothing here',
    ]);
  });
});
