/**
 * Small HTTP helpers for the simulator: reading a JSON body, Dintero's error body, answers.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';

/** One nested validation error in Dintero's `error.errors` array. */
export interface FieldError {
  /** Dotted path of the offending field, e.g. `order.amount`. */
  field: string;
  message: string;
  code?: string;
}

/**
 * A refusal with Dintero's error body `{error: {code, message, errors?}}`. Route handlers
 * throw it; the dispatcher turns it into the answer.
 */
export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  readonly errors: FieldError[] | undefined;
  readonly headers: Record<string, string>;
  constructor(
    status: number,
    code: string,
    message: string,
    errors?: FieldError[],
    headers: Record<string, string> = {},
  ) {
    super(message);
    this.status = status;
    this.code = code;
    this.errors = errors;
    this.headers = headers;
  }

  /** The JSON body Dintero sends with this error. */
  body(): { error: { code: string; message: string; errors?: FieldError[] } } {
    return {
      error: {
        code: this.code,
        message: this.message,
        ...(this.errors ? { errors: this.errors } : {}),
      },
    };
  }
}

/** An answer a route computed: status, JSON body and extra headers. */
export interface RouteAnswer {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
  /** Raw body with its content type (HTML pages); wins over `body`. */
  raw?: { contentType: string; text: string };
}

const MAX_BODY = 1024 * 1024;

/** Reads the whole request body as text (max 1 MB, else 413). */
export function readText(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > MAX_BODY) {
        reject(new ApiError(413, 'PAYLOAD_TOO_LARGE', 'Request body too large'));
        req.destroy();
        return;
      }
      chunks.push(c);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

/** Parses a JSON body; an empty body is `undefined`; malformed JSON is a 400. */
export function parseJson(text: string): unknown {
  if (text.trim() === '') return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new ApiError(400, 'INVALID_JSON', 'Request body is not valid JSON');
  }
}

/** Serialises an answer to its status, headers and body bytes. */
export function renderAnswer(answer: RouteAnswer): {
  status: number;
  headers: Record<string, string>;
  body: Buffer;
} {
  if (answer.raw) {
    return {
      status: answer.status,
      headers: { 'content-type': answer.raw.contentType, ...answer.headers },
      body: Buffer.from(answer.raw.text, 'utf8'),
    };
  }
  const hasBody = answer.body !== undefined;
  return {
    status: answer.status,
    headers: {
      ...(hasBody ? { 'content-type': 'application/json; charset=utf-8' } : {}),
      ...answer.headers,
    },
    body: hasBody ? Buffer.from(JSON.stringify(answer.body), 'utf8') : Buffer.alloc(0),
  };
}

/** Writes a rendered answer in one go. */
export function sendRendered(res: ServerResponse, rendered: ReturnType<typeof renderAnswer>): void {
  res.writeHead(rendered.status, {
    ...rendered.headers,
    'content-length': String(rendered.body.length),
  });
  res.end(rendered.body);
}

/** The answer for a thrown error: ApiError as Dintero's body, anything else a 500. */
export function errorAnswer(err: unknown): RouteAnswer {
  if (err instanceof ApiError)
    return { status: err.status, body: err.body(), headers: err.headers };
  return {
    status: 500,
    body: { error: { code: 'INTERNAL_ERROR', message: 'Unexpected error in the simulator' } },
  };
}
