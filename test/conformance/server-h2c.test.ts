import { pickSections } from './cases/sections.js';
import { describeServerConformance } from './run-conformance.js';
import { gdwsH2cServerSubject } from './subjects/gdws-subject.js';

// The server-side sections again, every case on a stream of one HTTP/2 connection (RFC 8441) instead of its own TCP connection.
describeServerConformance(
  gdwsH2cServerSubject,
  pickSections('1 framing', '2 pings and pongs', '3 reserved bits', '4 reserved opcodes', '5 fragmentation', '6 UTF-8', '7 close'),
);
