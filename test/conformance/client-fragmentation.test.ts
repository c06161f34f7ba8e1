import { pickSections } from './cases/sections.js';
import { describeClientConformance } from './run-conformance.js';
import { gdwsClientSubject } from './subjects/gdws-subject.js';

// Autobahn section 5: fragmentation; the gdws client, against the raw fake server.
describeClientConformance(gdwsClientSubject, pickSections('5 fragmentation'));
