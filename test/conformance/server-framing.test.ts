import { pickSections } from './cases/sections.js';
import { describeServerConformance } from './run-conformance.js';
import { gdwsServerSubject } from './subjects/gdws-subject.js';

// Autobahn sections 1-4: framing, pings and pongs, reserved bits, reserved opcodes; the gdws server, driven by the raw client.
describeServerConformance(gdwsServerSubject, pickSections('1 framing', '2 pings and pongs', '3 reserved bits', '4 reserved opcodes'));
