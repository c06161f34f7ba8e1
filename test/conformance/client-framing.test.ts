import { pickSections } from './cases/sections.js';
import { describeClientConformance } from './run-conformance.js';
import { gdwsClientSubject } from './subjects/gdws-subject.js';

// Autobahn sections 1-4: framing, pings and pongs, reserved bits, reserved opcodes; the gdws client, against the raw fake server.
describeClientConformance(gdwsClientSubject, pickSections('1 framing', '2 pings and pongs', '3 reserved bits', '4 reserved opcodes'));
