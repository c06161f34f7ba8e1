import { SECTIONS } from './cases/sections.js';
import { describeClientConformance, describeServerConformance } from './run-conformance.js';
import { WS_KNOWN_STRICT_FAILURES, wsClientSubject, wsServerSubject } from './subjects/ws-subject.js';

// Proves the driver against ws: every case passes except the strict ones ws is known to miss, which must fail.
describeServerConformance(wsServerSubject, SECTIONS, { knownFailures: WS_KNOWN_STRICT_FAILURES.server });
describeClientConformance(wsClientSubject, SECTIONS, { knownFailures: WS_KNOWN_STRICT_FAILURES.client });
