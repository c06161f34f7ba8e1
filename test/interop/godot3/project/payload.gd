# Recognisable message contents shared with the TypeScript side (run-godot.ts):
# binary byte i = i % 251, text byte i = 0x20 + i % 95 (printable ASCII, valid UTF-8).

const BINARY_PERIOD = 251
const TEXT_PERIOD = 95
const TEXT_FIRST_BYTE = 0x20


static func pattern(as_text, size):
	var block = PoolByteArray()
	var period = TEXT_PERIOD if as_text else BINARY_PERIOD
	for i in range(period):
		block.append(TEXT_FIRST_BYTE + i if as_text else i)
	var bytes = PoolByteArray()
	bytes.append_array(block)
	# Doubling keeps the period aligned, so a 1 MiB pattern costs ~12 appends.
	while bytes.size() < size:
		bytes.append_array(bytes)
	bytes.resize(size)
	return bytes


static func sha256_hex(bytes):
	var context = HashingContext.new()
	context.start(HashingContext.HASH_SHA256)
	if bytes.size() > 0:
		context.update(bytes)
	return context.finish().hex_encode()


# The fields every RESULT line about a received message carries.
static func describe(bytes, was_string):
	var fields = {
		"size": bytes.size(),
		"string": was_string,
		"sha256": sha256_hex(bytes),
		"pattern": bytes == pattern(was_string, bytes.size()),
	}
	if was_string and bytes.size() <= 256:
		fields["text"] = bytes.get_string_from_utf8()
	return fields


# A step or config entry {"type": "text"|"binary", "size": N} or {"type": ..., "text": "..."}.
static func from_spec(spec):
	var as_text = spec.get("type", "binary") == "text"
	if spec.has("text"):
		return String(spec["text"]).to_utf8()
	return pattern(as_text, int(spec.get("size", 0)))
