import { z } from 'zod';

/**
 * What the license API (server/routes) answers, checked by the app before use. Objects are not
 * strict: the server may add fields without breaking installed apps.
 */

/** Every refusal: `{ "error": { "code", "message", ...details } }` (server/http/api-error.ts). */
export const apiErrorReply = z.object({
  error: z.looseObject({ code: z.string().min(1), message: z.string().min(1) }),
});

/** POST /api/nonce */
export const nonceReply = z.object({ nonce: z.string().min(1), expiresAt: z.iso.datetime() });

/** POST /api/licenses/activate and /takeover: the signed license file for this device. */
export const licenseFileReply = z.object({ licenseFile: z.string().min(1) });

/** POST /api/trial */
export const trialReply = licenseFileReply.extend({ plan: z.literal('trial'), endsAt: z.iso.datetime() });

/** POST /api/licenses/validate: a fresh license file, or why the key no longer holds. */
export const validateReply = z.discriminatedUnion('valid', [
  z.object({ valid: z.literal(true), code: z.literal('VALID'), licenseFile: z.string().min(1) }),
  z.object({ valid: z.literal(false), code: z.string().min(1), message: z.string().min(1) }),
]);

/** POST /api/licenses/deactivate */
export const deactivateReply = z.object({ deactivated: z.literal(true) });

/** POST /api/checkout: Stripe's payment page. */
export const checkoutReply = z.object({ url: z.url({ protocol: /^https?$/ }) });

/** GET /api/checkout/:sessionId once the payment is confirmed: the key it bought. */
export const checkoutKeyReply = z.object({ key: z.string().min(1), plan: z.literal('pro') });

/** The replies as the server writes them: its routes check their bodies against these types. */
export type NonceReply = z.infer<typeof nonceReply>;
export type LicenseFileReply = z.infer<typeof licenseFileReply>;
export type TrialReply = z.infer<typeof trialReply>;
export type ValidateReply = z.infer<typeof validateReply>;
export type DeactivateReply = z.infer<typeof deactivateReply>;
export type ApiErrorReply = z.infer<typeof apiErrorReply>;
