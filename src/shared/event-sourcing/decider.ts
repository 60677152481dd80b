/**
 * The shape of every write model (as in Emmett and oskardudycz/EventSourcing.NodeJS): a pure `decide` that
 * answers a command with events or throws a DomainError, a pure `evolve` that folds one event into the
 * state, and the state of a stream that does not exist yet.
 */
export interface Decider<Command, Event, State> {
  decide(command: Command, state: State): Event[];
  evolve(state: State, event: Event): State;
  initialState(): State;
}

/** Every event this toolkit stores: a stable type name and a payload stamped with the moment it happened. */
export interface DomainEvent<Type extends string = string, Data extends object = object> {
  type: Type;
  data: Data;
}
