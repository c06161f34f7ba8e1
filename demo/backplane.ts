import { RedisBackplane } from '../src/backplane/index.js';
import type { MultiplayerRooms, WebSocketServer } from '../src/index.js';

/**
 * `--redis URL`: joins this process's rooms and the /broadcast topic with
 * every other process connected to the same Redis. Rejects with one line when
 * Redis cannot be reached or ioredis is not installed.
 */
export async function joinBackplane(url: string, rooms: MultiplayerRooms, broadcast: WebSocketServer, log: (line: string) => void): Promise<RedisBackplane> {
  let reported = 0;
  const backplane = await RedisBackplane.connect({
    url,
    // While Redis is away the client retries every second: one line in 20 is enough.
    onError: (error) => {
      if (reported++ % 20 === 0) log(`redis: ${error.message} (${reported} errors so far)`);
    },
  });
  backplane.attachRooms(rooms);
  backplane.attachTopics(broadcast.topics);
  return backplane;
}
