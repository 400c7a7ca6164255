import { z } from 'zod';
import { ApiError } from '../http/api-error';

/** The Stripe events the license server acts on; any other type is acknowledged and not recorded. */
export const HANDLED_EVENT_TYPES = [
  'checkout.session.completed',
  'checkout.session.async_payment_succeeded',
  'charge.refunded',
  'charge.dispute.created',
  'charge.dispute.updated',
  'charge.dispute.closed',
] as const;

const objectId = z.string().min(1).max(255);
/** A field Stripe sends as an id, or as the object when expanded; null when there is none. */
const expandable = z.union([objectId, z.object({ id: objectId })]).nullable();
const idOf = (value: z.infer<typeof expandable>): string | null =>
  value === null ? null : typeof value === 'string' ? value : value.id;

const envelope = z.object({
  id: z.string().regex(/^evt_[A-Za-z0-9_]{1,250}$/),
  type: z.string().max(100),
  data: z.object({ object: z.unknown() }),
});

const session = z.object({
  id: z.string().regex(/^cs_[A-Za-z0-9_]{1,250}$/),
  mode: z.string().max(40),
  payment_status: z.enum(['paid', 'unpaid', 'no_payment_required']),
  payment_intent: expandable,
  metadata: z.record(z.string(), z.string()).nullable().optional(),
  customer_details: z
    .object({ email: z.string().max(320).nullable().optional() })
    .nullable()
    .optional(),
});

const charge = z.object({ id: objectId, payment_intent: expandable, refunded: z.boolean() });

const dispute = z.object({ id: objectId, payment_intent: expandable, status: z.string().max(40) });

export interface SessionEvent {
  kind: 'session';
  sessionId: string;
  paymentIntent: string | null;
  paid: boolean;
  mode: string;
  plan: string | undefined;
  email: string | null;
}

export interface RefundEvent {
  kind: 'refund';
  chargeId: string;
  paymentIntent: string | null;
  full: boolean;
}

export interface DisputeEvent {
  kind: 'dispute';
  disputeId: string;
  paymentIntent: string | null;
  outcome: 'open' | 'won' | 'lost';
}

export interface ParsedStripeEvent {
  id: string;
  type: string;
  subject: SessionEvent | RefundEvent | DisputeEvent;
}

/** A dispute closed without a chargeback (an inquiry) counts as won. */
const DISPUTE_OUTCOMES: Record<string, 'won' | 'lost'> = { won: 'won', lost: 'lost', warning_closed: 'won' };

function check<Schema extends z.ZodType>(schema: Schema, value: unknown): z.output<Schema> {
  const result = schema.safeParse(value);
  if (!result.success) {
    const issue = result.error.issues[0];
    const where = issue?.path.length ? `${issue.path.join('.')}: ` : '';
    throw new ApiError(
      400,
      'INVALID_EVENT',
      `The event does not have the shape Stripe sends: ${where}${issue?.message ?? 'invalid'}`,
    );
  }
  return result.data;
}

/** Checks a verified event against the shape Stripe documents; null for types we do not handle. */
export function parseStripeEvent(raw: unknown): ParsedStripeEvent | null {
  const { id, type, data } = check(envelope, raw);
  if (!(HANDLED_EVENT_TYPES as readonly string[]).includes(type)) return null;
  if (type.startsWith('checkout.session.')) {
    const object = check(session, data.object);
    return {
      id,
      type,
      subject: {
        kind: 'session',
        sessionId: object.id,
        paymentIntent: idOf(object.payment_intent),
        paid: object.payment_status !== 'unpaid',
        mode: object.mode,
        plan: object.metadata?.plan,
        email: object.customer_details?.email ?? null,
      },
    };
  }
  if (type === 'charge.refunded') {
    const object = check(charge, data.object);
    return {
      id,
      type,
      subject: {
        kind: 'refund',
        chargeId: object.id,
        paymentIntent: idOf(object.payment_intent),
        full: object.refunded,
      },
    };
  }
  const object = check(dispute, data.object);
  return {
    id,
    type,
    subject: {
      kind: 'dispute',
      disputeId: object.id,
      paymentIntent: idOf(object.payment_intent),
      outcome: DISPUTE_OUTCOMES[object.status] ?? 'open',
    },
  };
}
