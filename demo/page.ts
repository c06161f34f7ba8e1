/** The page at `/`: connects back to the echo endpoint from the browser. */
export const demoPage = `<!doctype html>
<html lang="en">
<meta charset="utf-8">
<title>gdws demo</title>
<style>body{font:15px system-ui,sans-serif;max-width:40em;margin:2em auto}#log{white-space:pre-wrap;background:#f4f4f4;padding:1em;min-height:8em}</style>
<h1>gdws echo</h1>
<p><input id="text" value="Hello from the browser" size="40"> <button id="send">Send</button> <button id="close">Close</button></p>
<div id="log"></div>
<script>
const log = (line) => { document.getElementById('log').textContent += line + '\\n'; };
const url = (location.protocol === 'https:' ? 'wss://' : 'ws://') + location.host + '/echo';
const socket = new WebSocket(url);
socket.binaryType = 'arraybuffer';
socket.onopen = () => log('open ' + url);
socket.onmessage = (event) => log('echo: ' + (typeof event.data === 'string' ? event.data : event.data.byteLength + ' bytes'));
socket.onclose = (event) => log('closed ' + event.code + ' ' + event.reason);
document.getElementById('send').onclick = () => socket.send(document.getElementById('text').value);
document.getElementById('close').onclick = () => socket.close(1000, 'bye');
</script>
</html>
`;
