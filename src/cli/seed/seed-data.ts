import { Actor } from '../../shared/actor';
import { Category, Remedy } from '../../disputes/domain/dispute.types';

/** The demo data set's people, products and texts (the scripts that use them are in scenarios.ts). */
export const HOUR = 3_600_000;
export const MINUTE = 60_000;

export const DEPARTMENTS = ['after-sales-north', 'after-sales-south', 'online-support'] as const;
export const AGENTS: Actor[] = Array.from({ length: 12 }, (_, i) => ({
  id: `agent-${String(i + 1).padStart(2, '0')}`,
  roles: ['agent'],
  department: DEPARTMENTS[i % DEPARTMENTS.length],
}));
export const SUPERVISORS: Actor[] = DEPARTMENTS.map((department, i) => ({ id: `sup-${i + 1}`, roles: ['supervisor'], department }));
export const MANAGERS: Actor[] = [{ id: 'mgr-1', roles: ['manager'], department: 'after-sales' }];

export const PRODUCTS = [
  'kettle-2l',
  'rice-cooker-5l',
  'air-fryer-4l',
  'blender-pro',
  'vacuum-x2',
  'headphones-nc',
  'smart-watch-s',
  'desk-lamp',
  'coffee-maker',
  'toaster-4s',
];
export const DEFECTS = ['LEAK', 'NO-POWER', 'CRACKED', 'NOISE', 'OVERHEAT', 'MISSING-PART', 'SCRATCH'];
export const CATEGORY_WEIGHTS: Record<Category, number> = {
  quality_defect: 30,
  not_as_described: 10,
  wrong_item: 6,
  missing_items: 6,
  delayed_shipment: 14,
  logistics: 8,
  price_drop: 5,
  wrong_address: 3,
  out_of_stock: 4,
  beyond_control: 3,
  changed_mind: 8,
  misuse: 3,
};
export const DESCRIPTIONS: Record<Category, string[]> = {
  quality_defect: ['stopped working after two weeks', 'leaks at the seam', 'makes a grinding noise', 'gets very hot on the side'],
  not_as_described: ['colour differs from the listing', 'smaller than the listed size', 'material is not as described'],
  wrong_item: ['received a different model', 'received the wrong colour'],
  missing_items: ['the charger is missing from the box', 'one of the two units is missing'],
  delayed_shipment: ['order is ten days late', 'delivery date passed without news'],
  logistics: ['tracking stuck for a week', 'parcel marked delivered but not received'],
  price_drop: ['price dropped two days after purchase'],
  wrong_address: ['shipped to an old address'],
  out_of_stock: ['order cancelled as out of stock after payment'],
  beyond_control: ['delivery delayed by the storm'],
  changed_mind: ['no longer needed, unopened'],
  misuse: ['dropped the item, asks for a replacement'],
};
export const REMEDY_FOR: Record<Category, Remedy[]> = {
  quality_defect: ['refund', 'exchange', 'repair'],
  not_as_described: ['refund', 'exchange'],
  wrong_item: ['exchange', 'refund'],
  missing_items: ['reship'],
  delayed_shipment: ['coupon', 'compensation'],
  logistics: ['reship', 'refund'],
  price_drop: ['compensation', 'coupon'],
  wrong_address: ['reship'],
  out_of_stock: ['refund', 'coupon'],
  beyond_control: ['apology', 'coupon'],
  changed_mind: ['return', 'refund'],
  misuse: ['exchange'],
};
export const MONEY: readonly Remedy[] = ['refund', 'compensation'];
