/**
 * Work that must run while the event store is still open on shutdown (e.g. the last audit checkpoint):
 * EventStoreModule runs these hooks, in order, right before it closes the store.
 */
export class EventStoreLifecycle {
  private readonly hooks: Array<() => Promise<void>> = [];

  beforeClose(hook: () => Promise<void>): void {
    this.hooks.push(hook);
  }

  async runBeforeClose(): Promise<void> {
    for (const hook of this.hooks.splice(0)) {
      try {
        await hook();
      } catch {
        /* a hook must not keep the store from closing */
      }
    }
  }
}
