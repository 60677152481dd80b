import { Command } from '../../domain/command';

/** Issue 14: a coupon or service upgrade handed over to the customer (e.g. the coupon code's reference). */
export type DeliverBreachRemedy = Command<'DeliverBreachRemedy', { remedyId: string; reference?: string }>;

export type DeliverBreachRemedyRequest = DeliverBreachRemedy['data'];
