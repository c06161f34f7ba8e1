import { pickSections } from './cases/sections.js';
import { describeServerConformance } from './run-conformance.js';
import { gdwsH2cServerSubject } from './subjects/gdws-subject.js';

// Messages up to 16 MiB on HTTP/2 streams (RFC 8441): the stream's flow-control window is a second level of buffering under the peer's.
describeServerConformance(gdwsH2cServerSubject, pickSections('9 large messages', '10 auto-fragmentation'));
