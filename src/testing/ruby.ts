// Test support: whether the ruby3.* runtimes can run here (the host's ruby, Debian's `ruby`).
// Their tests skip without one, unless STAGECRAFT_REQUIRE_RUBY=1 (CI sets it).
import { describeRuntime } from '../runtime/runtimes.js';

function probeRuby(): string | false {
  if (describeRuntime('ruby3.3')) return false;
  if (process.env.STAGECRAFT_REQUIRE_RUBY === '1') throw new Error('STAGECRAFT_REQUIRE_RUBY=1 but there is no ruby in /usr/bin or /usr/local/bin (apt-get install ruby)');
  return 'no ruby on this host (apt-get install ruby); set STAGECRAFT_REQUIRE_RUBY=1 to fail instead';
}

/** Why the Ruby tests skip, or false when the host has ruby. */
export const rubySkip: string | false = probeRuby();
