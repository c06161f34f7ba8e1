/**
 * The page at `/`: an echo client (send, close, reconnect) and the endpoints
 * the demo serves, each with the GDScript to connect and a live count of its
 * peers from `/status`. URLs on the page use the page's own host and ws/wss.
 */
export const demoPage = `<!doctype html>
<html lang="en">
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>gdws demo</title>
<style>
body{font:15px/1.45 system-ui,sans-serif;max-width:46em;margin:2em auto;padding:0 1em;color:#222}
h1{margin:0 0 .2em}h2{font-size:1.1em;margin:1.6em 0 .5em}
code,pre,#log{font:13px/1.4 ui-monospace,monospace}
pre{background:#f4f4f4;padding:.5em .8em;margin:.5em 0 0;overflow-x:auto;tab-size:4}
form{display:flex;flex-wrap:wrap;gap:.4em;margin:0 0 .5em}input{flex:1;min-width:12em;font:inherit;padding:.2em .4em}
#log{white-space:pre-wrap;overflow-wrap:anywhere;background:#f4f4f4;padding:.6em .8em;min-height:6em;max-height:16em;overflow-y:auto}
.endpoint{border:1px solid #ddd;border-radius:6px;padding:.6em .8em;margin:.6em 0}
.endpoint h3{font-size:1em;margin:0;display:flex;justify-content:space-between;gap:1em}
.count{font-weight:normal;color:#555;white-space:nowrap}.endpoint p{margin:.2em 0 0}
</style>
<h1>gdws demo</h1>
<p>A WebSocket server for Node.js with Godot's API. It echoes every message and relays Godot's high-level multiplayer.</p>

<h2>Echo from this page</h2>
<form id="form"><input id="text" value="Hello from the browser" aria-label="Message"><button id="send">Send</button><button type="button" id="close">Close</button><button type="button" id="connect">Reconnect</button></form>
<div id="log" role="log"></div>

<h2>Endpoints</h2>
<div class="endpoint" id="echo">
<h3><code><span class="base">ws://127.0.0.1:9080</span>/echo</code><span class="count"><b data-count="echo">-</b> connected</span></h3>
<p>Echo: every message comes back as text or binary, as sent. Any other path echoes too.</p>
<pre>var socket := WebSocketPeer.new()
socket.connect_to_url("<span class="base">ws://127.0.0.1:9080</span>/echo")
# then each frame: socket.poll(); once it is open, socket.send_text("hi")
# and read the replies with socket.get_packet()</pre>
</div>
<div class="endpoint" id="godot4">
<h3><code><span class="base">ws://127.0.0.1:9080</span>/godot4</code><span class="count"><b data-count="godot4">-</b> connected</span></h3>
<p>Godot 4 relay: WebSocketMultiplayerPeer with SceneMultiplayer, so peers see and rpc each other.</p>
<pre>var peer := WebSocketMultiplayerPeer.new()
peer.create_client("<span class="base">ws://127.0.0.1:9080</span>/godot4")
multiplayer.multiplayer_peer = peer</pre>
</div>
<div class="endpoint" id="godot3">
<h3><code><span class="base">ws://127.0.0.1:9080</span>/godot3</code><span class="count"><b data-count="godot3">-</b> connected</span></h3>
<p>Godot 3 relay: WebSocketClient with the high-level multiplayer API (gd_mp_api).</p>
<pre>var client := WebSocketClient.new()
client.connect_to_url("<span class="base">ws://127.0.0.1:9080</span>/godot3", PoolStringArray(), true)
get_tree().network_peer = client</pre>
</div>
<div class="endpoint" id="game">
<h3><code><span class="base">ws://127.0.0.1:9080</span>/game4 · /game3</code><span class="count"><b data-count="game4">-</b> + <b data-count="game3">-</b> playing</span></h3>
<p>Demo game: a lobby with chat and positions whose server is this Node process (SceneMultiplayerServer, Godot3MultiplayerServer), shared by Godot 4 and Godot 3 players. The script goes on the main scene's root, named Main.</p>
<pre># Godot 4
extends Node

func _ready() -&gt; void:
	var peer := WebSocketMultiplayerPeer.new()
	peer.create_client("<span class="base">ws://127.0.0.1:9080</span>/game4")
	multiplayer.multiplayer_peer = peer
	multiplayer.connected_to_server.connect(_joined)

func _joined() -&gt; void:
	join.rpc_id(1, "ada")
	# later: say.rpc_id(1, "hi"), move.rpc_id(1, Vector2(3, 4))

@rpc("any_peer") func join(player_name: String) -&gt; void: pass
@rpc("any_peer") func say(text: String) -&gt; void: pass
@rpc("any_peer") func move(to: Vector2) -&gt; void: pass
@rpc func chat(who: String, text: String) -&gt; void: print(who, ": ", text)
@rpc func lobby(players: Array) -&gt; void: print("players: ", players)
@rpc func moved(who: String, to: Vector2) -&gt; void: pass</pre>
<pre># Godot 3
extends Node

remote var position = Vector2()

func _ready():
	var client = WebSocketClient.new()
	var url = "<span class="base">ws://127.0.0.1:9080</span>/game3"
	client.connect_to_url(url, PoolStringArray(), true)
	get_tree().network_peer = client
	get_tree().connect("connected_to_server", self, "_joined")

func _joined():
	rpc_id(1, "join", "bob")
	# later: rpc_id(1, "say", "hi"), rset_id(1, "position", Vector2(3, 4))

puppet func chat(who, text): print(who, ": ", text)
puppet func lobby(players): print("players: ", players)
puppet func moved(who, to): pass</pre>
</div>

<script>
const $ = (id) => document.getElementById(id);
const base = (location.protocol === 'https:' ? 'wss://' : 'ws://') + location.host;
for (const element of document.querySelectorAll('.base')) element.textContent = base;

const logBox = $('log');
const log = (line) => {
  logBox.append(line + '\\n');
  logBox.scrollTop = logBox.scrollHeight;
};
let socket = null;
const updateButtons = () => {
  const state = socket === null ? WebSocket.CLOSED : socket.readyState;
  $('send').disabled = $('close').disabled = state !== WebSocket.OPEN;
  $('connect').disabled = state === WebSocket.CONNECTING || state === WebSocket.OPEN;
};
const connect = () => {
  const url = base + '/echo';
  const current = new WebSocket(url);
  current.binaryType = 'arraybuffer';
  socket = current;
  log('connecting to ' + url);
  current.onopen = () => {
    log('open' + (current.extensions ? ' (' + current.extensions + ')' : ''));
    updateButtons();
  };
  current.onmessage = (event) => log('echo: ' + (typeof event.data === 'string' ? event.data : event.data.byteLength + ' bytes'));
  current.onclose = (event) => {
    log('closed ' + event.code + (event.reason ? ' ' + event.reason : ''));
    updateButtons();
  };
  updateButtons();
};
$('form').onsubmit = (event) => {
  event.preventDefault();
  if (socket !== null && socket.readyState === WebSocket.OPEN) socket.send($('text').value);
};
$('close').onclick = () => socket.close(1000, 'bye');
$('connect').onclick = connect;
connect();

const showCounts = async () => {
  let counts = {};
  try {
    counts = await (await fetch('/status', { cache: 'no-store' })).json();
  } catch {}
  for (const element of document.querySelectorAll('[data-count]')) element.textContent = counts[element.dataset.count] ?? '-';
};
void showCounts();
setInterval(showCounts, 1000);
</script>
</html>
`;
