import { decide } from '../../../src/disputes/domain/dispute.decide';
import { DisputeCommand } from '../../../src/disputes/domain/dispute.commands';
import { DomainError, DomainErrorKind } from '../../../src/shared/errors';
import { DisputeEvent } from '../../../src/disputes/domain/dispute.events';
import { foldDispute } from '../../../src/disputes/domain/dispute.evolve';

/** given(events).when(command).then(events) | .thenRefused(kind, message) */
export function given(...history: DisputeEvent[]) {
  return {
    when(command: DisputeCommand) {
      const run = () => decide(command, foldDispute(history));
      return {
        then(expected: DisputeEvent[] | ((events: DisputeEvent[]) => void)): void {
          const events = run();
          if (typeof expected === 'function') expected(events);
          else expect(events).toEqual(expected);
          // Every decided event must also evolve cleanly on top of the history.
          foldDispute([...history, ...events]);
        },
        /** The decided events, for tests that continue from them. */
        events: run,
        thenRefused(kind: DomainErrorKind, message?: RegExp) {
          let error: unknown;
          try {
            run();
          } catch (e) {
            error = e;
          }
          expect(error).toBeInstanceOf(DomainError);
          expect((error as DomainError).kind).toBe(kind);
          if (message) expect((error as DomainError).message).toMatch(message);
        },
      };
    },
  };
}
