import { pickSections } from './cases/sections.js';
import { describeServerConformance } from './run-conformance.js';
import { gdwsServerSubject } from './subjects/gdws-subject.js';

// Autobahn sections 9-10: large messages, many frames, auto-fragmentation; the gdws server, driven by the raw client.
describeServerConformance(gdwsServerSubject, pickSections('9 large messages', '10 auto-fragmentation'));
