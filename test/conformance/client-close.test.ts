import { pickSections } from './cases/sections.js';
import { describeClientConformance } from './run-conformance.js';
import { gdwsClientSubject } from './subjects/gdws-subject.js';

// Autobahn section 7: the closing handshake; the gdws client, against the raw fake server.
describeClientConformance(gdwsClientSubject, pickSections('7 close'));
