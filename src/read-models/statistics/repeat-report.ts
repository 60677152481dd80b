import { Groups, StatReport } from './report-kit';

interface Acc {
  filed: string[];
  categories: Record<string, number>;
}

/**
 * Repeat complaints: customers (or order lines: order and product) with two or more disputes in the period. Keys
 * are pseudonyms (`cus_…`, `ord_…/<sku>`), never the ids.
 */
export const repeatReport: StatReport<Acc, object> = {
  name: 'repeats',
  description: 'customers (or order lines) with more than one dispute in the period, keyed by pseudonym',
  groupBys: ['customer', 'order_line'],
  reads: ['DisputeFiled'],
  init: () => ({ filed: [], categories: {} }),
  add(groups: Groups<Acc>, { state }, params) {
    const key =
      params.groupBy === 'order_line'
        ? `${params.pseudonyms.order(state.filing.orderId)}/${state.filing.productSku}`
        : params.pseudonyms.customer(state.filing.customerId);
    const acc = groups.at(key, state.id);
    acc.filed.push(state.filedAt);
    acc.categories[state.filing.category] = (acc.categories[state.filing.category] ?? 0) + 1;
  },
  keep: (acc) => acc.filed.length > 1,
  row: (acc) => {
    const filed = [...acc.filed].sort();
    return { firstFiledAt: filed[0], lastFiledAt: filed[filed.length - 1], categories: acc.categories };
  },
};
