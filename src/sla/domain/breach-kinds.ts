/** The SLA clocks a breach can be about, and where its investigation stands. Owned by `sla`; disputes record them. */
export const BREACH_KINDS = ['first_response', 'resolution', 'payment'] as const;
export type BreachKind = (typeof BREACH_KINDS)[number];
export type BreachStatus = 'detected' | 'confirmed' | 'exempted';
