import { pickSections } from './cases/sections.js';
import { describeServerConformance } from './run-conformance.js';
import { gdwsServerSubject } from './subjects/gdws-subject.js';

// Autobahn section 7: the closing handshake; the gdws server, driven by the raw client.
describeServerConformance(gdwsServerSubject, pickSections('7 close'));
