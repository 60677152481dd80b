import { createServer, connect, Server, Socket } from 'node:net';

/**
 * A TCP proxy in front of a database that can make every open connection stale: `dropAll` closes the
 * upstream side without telling the client, so the client's next statement on that connection fails
 * (the socket closes under it). That is what a pooled connection the server dropped while it sat idle
 * looks like when the pool has not noticed yet, made deterministic instead of left to a race.
 * New connections after `dropAll` reach the database as usual.
 */
export async function staleConnectionProxy(target: { host: string; port: number }) {
  const pairs = new Set<{ client: Socket; upstream: Socket }>();
  const server: Server = createServer((client) => {
    const upstream = connect(target.port, target.host);
    const pair = { client, upstream };
    pairs.add(pair);
    client.pipe(upstream);
    upstream.pipe(client);
    const forget = () => {
      pairs.delete(pair);
      client.destroy();
      upstream.destroy();
    };
    client.on('error', forget).on('close', forget);
    upstream.on('error', forget).on('close', forget);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('proxy has no port');
  return {
    port: address.port,
    /** Every open connection goes stale: its next write from the client closes it, no answer. */
    dropAll(): number {
      const dropped = [...pairs];
      for (const { client, upstream } of dropped) {
        client.unpipe(upstream);
        upstream.unpipe(client);
        upstream
          .removeAllListeners('close')
          .removeAllListeners('error')
          .on('error', () => undefined);
        upstream.destroy();
        client.removeAllListeners('data');
        client.once('data', () => client.destroy());
        client.resume(); // unpipe left it paused
      }
      pairs.clear();
      return dropped.length;
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const { client, upstream } of pairs) {
          client.destroy();
          upstream.destroy();
        }
        server.close(() => resolve());
      }),
  };
}
