/** Every key (dotted path) of a language catalog with its text, for the catalog checks. */
export function flattenCatalog(node: unknown, prefix = ''): Map<string, string> {
  const out = new Map<string, string>();
  for (const [k, v] of Object.entries(node as Record<string, unknown>)) {
    const key = prefix === '' ? k : `${prefix}.${k}`;
    if (typeof v === 'string') out.set(key, v);
    else for (const [kk, vv] of flattenCatalog(v, key)) out.set(kk, vv);
  }
  return out;
}
