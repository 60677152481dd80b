import { Command } from '../../domain/command';

/** "I need my supervisor on this": the case goes on the supervisor's queue with the reason. */
export type EscalateInternally = Command<'EscalateInternally', { reason: string; escalationId?: string }>;

export type EscalateInternallyRequest = Omit<EscalateInternally['data'], 'escalationId'>;
