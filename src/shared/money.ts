export interface Money {
  /** Integer minor units (fen for CNY). */
  amount: number;
  currency: 'CNY';
}
