export { HandshakeError, HandshakeRefusal } from './errors.js';
export { parseWebSocketUrl } from './url.js';
export type { WebSocketUrl } from './url.js';
export { generateKey, computeAccept, isValidKey } from './key.js';
export { buildClientRequest } from './client-request.js';
export type { ClientRequestOptions } from './client-request.js';
export { ServerResponseParser } from './response-parser.js';
export type { ServerResponse, ServerResponseParserOptions } from './response-parser.js';
export { UpgradeRequestParser, DEFAULT_MAX_HEAD_BYTES } from './request-parser.js';
export type { UpgradeRequestParserOptions } from './request-parser.js';
export { validateUpgradeRequest, requestPath } from './upgrade-request.js';
export type { UpgradeRequest } from './upgrade-request.js';
export { selectProtocol, buildAcceptResponse, buildRefusalResponse } from './server-response.js';
export type { AcceptResponseOptions } from './server-response.js';
export { parseHeaderLine, parseHeaderLines, HANDSHAKE_OWNED_HEADERS } from './header-fields.js';
export type { HeaderField } from './header-fields.js';
export { validateProtocolList } from './subprotocols.js';
export { parseExtensionList, parseExtensionElement, formatExtensionElement } from './extension-header.js';
export type { ExtensionElement, ExtensionParameter } from './extension-header.js';
export {
  acceptDeflateOffer,
  formatDeflateOffer,
  readDeflateResponse,
  PERMESSAGE_DEFLATE,
  MIN_WINDOW_BITS,
  MAX_WINDOW_BITS,
} from './permessage-deflate.js';
export type { AcceptedDeflateOffer, DeflateNegotiationOptions, DeflateParameters } from './permessage-deflate.js';
export {
  validateExtendedConnect,
  buildExtendedConnectAccept,
  buildExtendedConnectRequest,
  checkExtendedConnectResponse,
  refusalHeaders,
  regularHeaders,
  WEBSOCKET_PROTOCOL,
} from './extended-connect.js';
export type {
  ExtendedConnectRequest,
  ExtendedConnectResponse,
  ExtendedConnectAcceptOptions,
  ExtendedConnectRequestOptions,
  ExtendedConnectResponseOptions,
  Http2HeaderBlock,
} from './extended-connect.js';
