import { autoFragmentationSection } from './auto-fragmentation.js';
import type { ConformanceCase } from './case.js';
import { closeSection } from './close.js';
import { fragmentationSection } from './fragmentation.js';
import { framingSection } from './framing.js';
import { largeMessagesSection } from './large-messages.js';
import { pingSection } from './pings.js';
import { reservedBitsSection } from './reserved-bits.js';
import { reservedOpcodesSection } from './reserved-opcodes.js';
import { utf8Section } from './utf8.js';

/** The suite's sections, keyed and ordered as the Autobahn testsuite numbers them. */
export const SECTIONS: Record<string, ConformanceCase[]> = {
  '1 framing': framingSection,
  '2 pings and pongs': pingSection,
  '3 reserved bits': reservedBitsSection,
  '4 reserved opcodes': reservedOpcodesSection,
  '5 fragmentation': fragmentationSection,
  '6 UTF-8': utf8Section,
  '7 close': closeSection,
  '9 large messages': largeMessagesSection,
  '10 auto-fragmentation': autoFragmentationSection,
};

/** The named sections only, for splitting the suite across test files (and so across workers). */
export function pickSections(...names: string[]): Record<string, ConformanceCase[]> {
  const picked: Record<string, ConformanceCase[]> = {};
  for (const name of names) {
    const cases = SECTIONS[name];
    if (!cases) throw new Error(`no conformance section named "${name}"`);
    picked[name] = cases;
  }
  return picked;
}
