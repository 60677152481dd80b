import { Client } from 'pg';

/**
 * One LISTEN connection, opened on the first `start()`, reconnected one second after a drop until `stop()`.
 * Notifications are only wake-ups: readers poll too, so a missed one delays an event, never loses it; and
 * every (re)connection wakes the readers once it listens, so what was appended during a drop is read then.
 */
export class PgListener {
  private client: Client | null = null;
  private retry: NodeJS.Timeout | null = null;
  private stopped = false;

  constructor(
    private readonly connectionString: string,
    private readonly channel: string,
    private readonly onNotification: () => void,
  ) {}

  start(): void {
    if (this.client || this.retry || this.stopped) return;
    const client = new Client({ connectionString: this.connectionString });
    this.client = client;
    const reconnect = () => {
      if (this.client !== client) return;
      this.client = null;
      void client.end().catch(() => undefined);
      if (this.stopped) return;
      this.retry = setTimeout(() => {
        this.retry = null;
        this.start();
      }, 1000);
      this.retry.unref();
    };
    client.on('error', reconnect);
    client.on('end', reconnect);
    client.on('notification', () => this.onNotification());
    client
      .connect()
      .then(() => client.query(`LISTEN ${this.channel}`))
      // What was notified while no connection listened would wait for the poll: read it now.
      .then(() => this.onNotification())
      .catch(reconnect);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.retry) clearTimeout(this.retry);
    const client = this.client;
    this.client = null;
    await client?.end().catch(() => undefined);
  }
}
