import { fork } from 'node:child_process';
import { WebSocketMultiplayerPeer, WebSocketServer } from '../src/index.js';
const kind = process.argv[2] ?? 'relay';
let port: number;
let stop: () => Promise<void>;
if (kind === 'relay') {
  const relay = new WebSocketMultiplayerPeer();
  await relay.createServer(0, '127.0.0.1');
  port = relay.getListeningPort(); stop = () => relay.close();
} else {
  const s = new WebSocketServer(); s.bindIp = '127.0.0.1'; await s.listen(0); port = s.getListeningPort(); stop = () => s.stop();
}
const child = fork('/work/wt-topics/bench/broadcast/receivers.ts', [], { execArgv: ['--import', 'tsx'] });
child.on('message', async (m: any) => { if (m.type === 'connected') { console.log(kind, m); child.kill(); await stop(); process.exit(0); } });
child.send({ type: 'connect', port, path: '/', count: 1000, payloadLength: 1024, stampOffset: 0, godot4: kind === 'relay' });
