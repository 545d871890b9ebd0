/**
 * Validates recorded HTTP requests against Dintero's Swagger 2.0 spec: the `in: body` schema,
 * every `in: query` parameter (type, enum, min/max, pattern, format, repeatability), path
 * parameters and `in: header` parameters we send. `#/definitions/...` refs resolve against the
 * spec itself. Unknown query parameters and unexpected bodies are errors too.
 *
 * Operations missing from the payments spec (GET /v1/sessions, POST /v1/sessions/{id}/qr) are
 * validated against `extraOperations`, transcribed by the caller from Dintero's API reference
 * (https://docs.dintero.com/checkout-api; see test/fixtures/dintero/README.md).
 */
import Ajv, { type ValidateFunction } from 'ajv-draft-04';
import addFormats from 'ajv-formats';
import { parse } from 'yaml';

/** A Swagger 2.0 parameter object (the fields we read). */
export interface SwaggerParam {
  name: string;
  in: 'body' | 'query' | 'path' | 'header' | 'formData';
  required?: boolean;
  schema?: unknown;
  type?: string;
  format?: string;
  items?: Record<string, unknown>;
  collectionFormat?: 'csv' | 'ssv' | 'tsv' | 'pipes' | 'multi';
  /** type, format, enum, minimum, items, ... as in Swagger. */
  [k: string]: unknown;
}

/** A Swagger 2.0 operation (the fields we read). */
export interface SwaggerOperation {
  parameters?: Array<SwaggerParam | { $ref: string }>;
}

interface Spec {
  paths: Record<string, Record<string, unknown>>;
  definitions: Record<string, unknown>;
  parameters: Record<string, SwaggerParam>;
}

/** A request as the recording server saw it. */
export interface RequestToCheck {
  method: string;
  /** Pathname, still percent-encoded, including the /v1 prefix. */
  path: string;
  query: URLSearchParams;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/** The outcome for one request: which spec operation it matched, and what is wrong. */
export interface CheckResult {
  operation: string | undefined;
  errors: string[];
}

const SPEC_ID = 'dintero-payments-spec';

/**
 * Formats the spec uses that neither JSON Schema nor ajv-formats define. `checkout-id` is our
 * inference from Dintero's documented ids (`P12345678.55Q4CC1WuVJdgCssZfrf5a`).
 */
const CUSTOM_FORMATS: Record<string, RegExp | true> = {
  'checkout-id': /^[PT]\d{8}\.[0-9A-Za-z]+$/,
  isodate: /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?$/,
  'iso4217-code': /^[A-Z]{3}$/,
  'iso-3166-1': /^[A-Z]{2}$/,
  iso3166alpha2: /^[A-Z]{2}$/,
  'iso3166-alpha2': /^[A-Z]{2}$/,
  'iso-18245': /^\d{4}$/,
  payout_destination_id: true,
};

const SCHEMA_KEYS = [
  'type',
  'format',
  'enum',
  'minimum',
  'maximum',
  'exclusiveMinimum',
  'exclusiveMaximum',
  'minLength',
  'maxLength',
  'pattern',
  'minItems',
  'maxItems',
  'uniqueItems',
  'multipleOf',
  'items',
] as const;

const isRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

function collectFormats(node: unknown, out: Set<string>): void {
  if (Array.isArray(node)) node.forEach((n) => collectFormats(n, out));
  else if (isRecord(node)) {
    for (const [k, v] of Object.entries(node)) {
      if (k === 'format' && typeof v === 'string') out.add(v);
      else collectFormats(v, out);
    }
  }
}

/** Rewrites local refs so they resolve inside the spec registered as SPEC_ID. */
function rewriteRefs(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(rewriteRefs);
  if (!isRecord(node)) return node;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(node)) {
    out[k] =
      k === '$ref' && typeof v === 'string' && v.startsWith('#/')
        ? `${SPEC_ID}${v}`
        : rewriteRefs(v);
  }
  return out;
}

/** JSON schema of a non-body parameter. */
function paramSchema(p: Record<string, unknown>): Record<string, unknown> {
  const s: Record<string, unknown> = {};
  for (const k of SCHEMA_KEYS) {
    if (p[k] === undefined) continue;
    s[k] = k === 'items' && isRecord(p.items) ? paramSchema(p.items) : p[k];
  }
  return s;
}

function coerce(value: string, type: unknown): unknown {
  if (type === 'integer' && /^-?\d+$/.test(value)) return Number(value);
  if (type === 'number' && value.trim() !== '' && !Number.isNaN(Number(value)))
    return Number(value);
  if (type === 'boolean' && (value === 'true' || value === 'false')) return value === 'true';
  return value;
}

const SPLIT: Record<string, string> = { csv: ',', ssv: ' ', tsv: '\t', pipes: '|' };

/** A validator over one spec (plus transcribed extra operations). */
export class SpecValidator {
  private readonly ajv: Ajv;
  private readonly spec: Spec;
  private readonly compiled = new Map<string, ValidateFunction>();
  private readonly ops: Array<{
    method: string;
    template: string;
    re: RegExp;
    names: string[];
    op: SwaggerOperation;
    pathParams: SwaggerParam[];
  }> = [];

  constructor(
    specText: string,
    extraOperations: Record<string, SwaggerOperation> = {},
    private readonly basePath = '/v1',
  ) {
    this.spec = parse(specText) as Spec;
    if (!isRecord(this.spec) || !isRecord(this.spec.paths) || !isRecord(this.spec.definitions)) {
      throw new Error('not a Swagger 2.0 document with paths and definitions');
    }
    this.ajv = new Ajv({ strict: false, allErrors: true, unicodeRegExp: false });
    addFormats(this.ajv);
    const formats = new Set<string>();
    collectFormats(this.spec, formats);
    collectFormats(extraOperations, formats);
    for (const f of formats) {
      if (this.ajv.formats[f] !== undefined) continue;
      const custom = CUSTOM_FORMATS[f];
      if (custom !== undefined) this.ajv.addFormat(f, custom);
      else if (/[\\^$[\]{}]/.test(f))
        this.ajv.addFormat(f, new RegExp(f)); // format used as a regex
      else throw new Error(`spec uses format "${f}" that the validator does not know`);
    }
    this.ajv.addSchema({ id: SPEC_ID, definitions: this.spec.definitions }, SPEC_ID);

    const add = (template: string, method: string, op: SwaggerOperation, pathLevel: unknown) => {
      const names: string[] = [];
      const re = new RegExp(
        `^${template
          .replace(/[.*+?^$()|[\]\\]/g, '\\$&')
          .replace(/\{([^}]+)\}/g, (_m, n: string) => {
            names.push(n);
            return '([^/]+)';
          })}$`,
      );
      const pathParams = Array.isArray(pathLevel) ? (pathLevel as SwaggerParam[]) : [];
      this.ops.push({ method: method.toUpperCase(), template, re, names, op, pathParams });
    };
    for (const [template, item] of Object.entries(this.spec.paths)) {
      for (const [method, op] of Object.entries(item)) {
        if (['get', 'post', 'put', 'delete', 'patch'].includes(method))
          add(template, method, op as SwaggerOperation, item.parameters);
      }
    }
    for (const [key, op] of Object.entries(extraOperations)) {
      const [method, template] = key.split(' ') as [string, string];
      add(template, method, op, undefined);
    }
    // Literal paths win over templated ones (/sessions/payment-token vs /sessions/{session_id}).
    this.ops.sort((a, b) => a.names.length - b.names.length);
  }

  private resolveParam(p: SwaggerParam | { $ref: string }): SwaggerParam {
    if ('$ref' in p && typeof p.$ref === 'string') {
      const name = p.$ref.replace('#/parameters/', '');
      const found = this.spec.parameters[name];
      if (!found) throw new Error(`unresolved parameter ${p.$ref}`);
      return found;
    }
    return p as SwaggerParam;
  }

  private validator(key: string, schema: unknown): ValidateFunction {
    let v = this.compiled.get(key);
    if (!v) {
      v = this.ajv.compile(rewriteRefs(schema) as object);
      this.compiled.set(key, v);
    }
    return v;
  }

  private check(
    key: string,
    schema: unknown,
    value: unknown,
    label: string,
    errors: string[],
  ): void {
    const v = this.validator(key, schema);
    if (!v(value)) {
      for (const e of v.errors ?? [])
        errors.push(
          `${label}${e.instancePath || ''} ${e.message ?? 'invalid'} ${JSON.stringify(e.params)}`,
        );
    }
  }

  /** Validates one request. */
  validate(req: RequestToCheck): CheckResult {
    const errors: string[] = [];
    if (!req.path.startsWith(`${this.basePath}/`)) {
      return { operation: undefined, errors: [`path ${req.path} is not under ${this.basePath}`] };
    }
    const rel = req.path.slice(this.basePath.length);
    const match = this.ops.find((o) => o.method === req.method && o.re.test(rel));
    if (!match)
      return { operation: undefined, errors: [`${req.method} ${rel} is not in the spec`] };
    const operation = `${match.method} ${match.template}`;
    const params = [...match.pathParams, ...(match.op.parameters ?? [])].map((p) =>
      this.resolveParam(p),
    );
    const groups = match.re.exec(rel)!.slice(1);

    const knownQuery = new Set<string>();
    let bodyParam: SwaggerParam | undefined;
    for (const p of params) {
      const key = `${operation}|${p.in}|${p.name}`;
      if (p.in === 'body') {
        bodyParam = p;
      } else if (p.in === 'path') {
        const i = match.names.indexOf(p.name);
        const raw = i >= 0 ? groups[i] : undefined;
        if (raw === undefined) errors.push(`path param ${p.name} missing`);
        else
          this.check(
            key,
            paramSchema(p),
            coerce(decodeURIComponent(raw), p.type),
            `path ${p.name}`,
            errors,
          );
      } else if (p.in === 'query') {
        knownQuery.add(p.name);
        const raw = req.query.getAll(p.name);
        if (raw.length === 0) {
          if (p.required) errors.push(`query ${p.name} is required`);
          continue;
        }
        if (p.type === 'array') {
          const values =
            p.collectionFormat === 'multi'
              ? raw
              : raw.length > 1
                ? (errors.push(
                    `query ${p.name} repeated but collectionFormat is ${p.collectionFormat ?? 'csv'}`,
                  ),
                  raw)
                : raw[0]!.split(SPLIT[p.collectionFormat ?? 'csv'] ?? ',');
          const itemType = isRecord(p.items) ? p.items.type : undefined;
          this.check(
            key,
            paramSchema(p),
            values.map((v) => coerce(v, itemType)),
            `query ${p.name}`,
            errors,
          );
        } else {
          if (raw.length > 1) errors.push(`query ${p.name} is not repeatable`);
          this.check(key, paramSchema(p), coerce(raw[0]!, p.type), `query ${p.name}`, errors);
        }
      } else if (p.in === 'header') {
        const h = req.headers[p.name.toLowerCase()];
        if (h === undefined) {
          if (p.required) errors.push(`header ${p.name} is required`);
        } else {
          this.check(
            key,
            paramSchema(p),
            coerce(Array.isArray(h) ? h.join(',') : h, p.type),
            `header ${p.name}`,
            errors,
          );
        }
      }
    }
    for (const name of new Set(req.query.keys())) {
      if (!knownQuery.has(name)) errors.push(`query ${name} is not a parameter of ${operation}`);
    }
    if (req.body !== '') {
      if (!bodyParam) {
        errors.push(`${operation} takes no body`);
      } else {
        let json: unknown;
        try {
          json = JSON.parse(req.body);
        } catch {
          errors.push('body is not JSON');
        }
        if (json !== undefined)
          this.check(`${operation}|body`, bodyParam.schema, json, 'body', errors);
        const ct = req.headers['content-type'];
        if (typeof ct !== 'string' || !ct.startsWith('application/json'))
          errors.push('body sent without Content-Type: application/json');
      }
    } else if (bodyParam?.required) {
      errors.push(`${operation} requires a body`);
    }
    return { operation, errors };
  }
}
