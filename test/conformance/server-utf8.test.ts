import { pickSections } from './cases/sections.js';
import { describeServerConformance } from './run-conformance.js';
import { gdwsServerSubject } from './subjects/gdws-subject.js';

// Autobahn section 6: UTF-8 validation, including fail-fast; the gdws server, driven by the raw client.
describeServerConformance(gdwsServerSubject, pickSections('6 UTF-8'));
