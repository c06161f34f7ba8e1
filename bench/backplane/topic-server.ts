import { GodotError, RedisBackplane, WebSocketServer } from '../../src/index.js';
import { KeyLayout } from '../../src/backplane/keys.js';

/**
 * The gdws server of both processes of bench/backplane.bench.ts, configured
 * as bench:broadcast's 'gdws publish': every client subscribes to one topic
 * on connecting. With a Redis URL its topic hub is joined to the backplane,
 * so a publish in one process reaches the subscribers of the other.
 */

export const BENCH_TOPIC = 'bench';
/** Its own key prefix, so the benchmark's channel never meets another deployment's. */
const BENCH_PREFIX = 'gdws-bench:';
/** The Redis pub/sub channel that carries BENCH_TOPIC between the processes. */
export const BENCH_CHANNEL = new KeyLayout(BENCH_PREFIX).topicChannel(BENCH_TOPIC);

export interface TopicServer {
  readonly port: number;
  publish(payload: Buffer): void;
  close(): Promise<void>;
}

export async function startTopicServer(redisUrl: string | null): Promise<TopicServer> {
  const backplane = redisUrl === null ? null : await RedisBackplane.connect({ url: redisUrl, prefix: BENCH_PREFIX, onError: (error) => console.error(`backplane (pid ${process.pid}): ${error.message}`) });
  const server = new WebSocketServer();
  server.bindIp = '127.0.0.1';
  server.outboundBufferSize = 4 << 20;
  server.on('clientConnected', (id) => server.getPeer(id)!.subscribe(BENCH_TOPIC));
  backplane?.attachTopics(server.topics);
  if ((await server.listen(0)) !== GodotError.OK) {
    await backplane?.close();
    throw new Error('listen');
  }
  return {
    port: server.getListeningPort(),
    publish: (payload) => void server.publish(BENCH_TOPIC, payload, false),
    close: async () => {
      // The server first: its last peers leaving unsubscribe the topic while the backplane is still open.
      // (Closed the other way round, an UNSUBSCRIBE still in flight when the backplane closes came back
      // as a "Connection is closed" error.)
      await server.stop();
      await backplane?.close();
    },
  };
}
