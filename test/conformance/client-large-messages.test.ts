import { pickSections } from './cases/sections.js';
import { describeClientConformance } from './run-conformance.js';
import { gdwsClientSubject } from './subjects/gdws-subject.js';

// Autobahn sections 9-10: large messages, many frames, auto-fragmentation; the gdws client, against the raw fake server.
describeClientConformance(gdwsClientSubject, pickSections('9 large messages', '10 auto-fragmentation'));
