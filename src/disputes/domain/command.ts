import { Actor } from '../../shared/actor';

/** Every command carries who asks and when (the decider never reads a clock). */
export interface CommandContext {
  actor: Actor;
  /** ISO-8601 UTC: the moment the command is decided. */
  now: string;
}

export type Command<T extends string, D> = { type: T; data: D; context: CommandContext };
