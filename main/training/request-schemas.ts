/**
 * Request validation of the simulator, mirroring Dintero's Swagger spec
 * (spec-payments.swagger2.yaml: SessionProfile, SessionOrder, OrderItem, SessionCustomer,
 * PublishConfiguration, Metadata, the capture/refund bodies, AuthToken) so the real client
 * meets the same 400s it would meet at Dintero. Unknown keys are tolerated (the spec declares
 * no `additionalProperties: false`); they are dropped, not stored.
 */
import { z } from 'zod';
import { ApiError, type FieldError } from './http-io';

const int32 = z.int32();
const nonNegInt32 = z.int32().min(0);

/** E.164 with the leading +. The spec only says "E.123 with international prefix" (inference). */
const phoneNumber = z
  .string()
  .regex(/^\+[1-9]\d{4,14}$/, 'must be a phone number with international prefix (+4799999999)');

const orderItem = z.object({
  // The spec requires line_id/amount only for Instabank/Collector; the simulator always does,
  // because capture and refund by lines need them (inference, documented in the report).
  line_id: z.string().min(1),
  id: z.string().optional(),
  description: z.string().optional(),
  quantity: z.number().optional(),
  amount: int32,
  vat_amount: int32.optional(),
  vat: z.number().optional(),
  type: z.enum(['physical', 'digital', 'service', 'gift_card', 'shipping', 'surcharge']).optional(),
});

const publishEntry = z.object({
  type: z.enum(['checkout-link', 'app', 'terminal']),
  channel: z.enum(['sms', 'push']),
});

const metadata = z
  .record(z.string(), z.string())
  .refine((m) => Object.keys(m).length <= 10, 'must have at most 10 properties');

/** Body of POST /v1/sessions-profile (SessionProfile + Metadata). */
export const createSessionSchema = z.looseObject({
  profile_id: z.string().min(1),
  url: z.object({
    return_url: z.url(),
    // Dintero calls back over HTTPS only.
    callback_url: z.url({ protocol: /^https$/ }).optional(),
    merchant_terms_url: z.url().optional(),
  }),
  customer: z
    .object({
      customer_id: z.string().optional(),
      email: z.string().optional(),
      phone_number: phoneNumber.optional(),
      first_name: z.string().optional(),
      last_name: z.string().optional(),
    })
    .optional(),
  order: z.object({
    amount: nonNegInt32,
    currency: z.string().regex(/^[A-Z]{3}$/, 'must be an ISO 4217 currency code'),
    merchant_reference: z.string().min(1),
    merchant_reference_2: z.string().optional(),
    vat_amount: int32.optional(),
    partial_payment: z.boolean().optional(),
    items: z.array(orderItem).optional(),
    shipping_option: z.looseObject({ amount: int32 }).optional(),
    store: z
      .looseObject({
        id: z.string(),
        name: z.string().optional(),
        terminal_id: z.string().optional(),
      })
      .optional(),
  }),
  configuration: z
    .looseObject({
      publish: z.array(publishEntry).optional(),
      channel: z.enum(['in_app', 'in_store', 'ecommerce']).optional(),
      auto_capture: z.boolean().optional(),
    })
    .optional(),
  expires_at: z.iso.datetime({ offset: true }).optional(),
  metadata: metadata.optional(),
  checkboxes: z
    .array(z.looseObject({ id: z.string(), label: z.string().min(2).max(99) }))
    .max(2)
    .optional(),
});
/** A validated create body. */
export type CreateSessionBody = z.infer<typeof createSessionSchema>;

const operationItem = z.looseObject({
  line_id: z.string().min(1),
  amount: int32,
  quantity: z.number().optional(),
});

/** Body of POST /v1/transactions/{id}/capture. */
export const captureSchema = z.looseObject({
  amount: int32,
  capture_reference: z.string().optional(),
  items: z.array(operationItem).optional(),
  final_capture: z.boolean().optional(),
  metadata: metadata.optional(),
});
/** A validated capture body. */
export type CaptureBody = z.infer<typeof captureSchema>;

/** Body of POST /v1/transactions/{id}/refund. */
export const refundSchema = z.looseObject({
  amount: int32,
  reason: z.string().optional(),
  refund_reference: z.string().optional(),
  items: z.array(operationItem).optional(),
  metadata: metadata.optional(),
});
/** A validated refund body. */
export type RefundBody = z.infer<typeof refundSchema>;

/** Body of POST /v1/sessions/{id}/qr (QROptions in the full checkout spec). */
export const qrSchema = z.looseObject({
  format: z.enum(['png']).optional(),
  size: z.int().min(50).max(2000).optional(),
});

/** Body of POST /v1/accounts/{aid}/auth/token (AuthToken, client_credentials). */
export const tokenSchema = z.looseObject({
  grant_type: z.string(),
  audience: z.string().optional(),
});

function fieldErrors(error: z.ZodError): FieldError[] {
  return error.issues.map((i) => ({
    field: i.path.map(String).join('.') || '(body)',
    message: i.message,
    code: i.code,
  }));
}

/**
 * Validates a body; on failure throws the 400 Dintero answers, with one nested error per
 * offending field (`{field, message, code}`; Dintero's spec leaves their shape open).
 */
export function validate<T extends z.ZodType>(schema: T, body: unknown): z.infer<T> {
  const result = schema.safeParse(body ?? null);
  if (result.success) return result.data;
  throw new ApiError(
    400,
    'INVALID_REQUEST_PARAMETERS',
    'The request body is invalid',
    fieldErrors(result.error),
  );
}
