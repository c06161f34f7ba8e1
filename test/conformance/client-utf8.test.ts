import { pickSections } from './cases/sections.js';
import { describeClientConformance } from './run-conformance.js';
import { gdwsClientSubject } from './subjects/gdws-subject.js';

// Autobahn section 6: UTF-8 validation, including fail-fast; the gdws client, against the raw fake server.
describeClientConformance(gdwsClientSubject, pickSections('6 UTF-8'));
