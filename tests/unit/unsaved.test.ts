import { describe, expect, it } from 'vitest';
import { markKeyDownloaded, markKeyPending, unsavedWork, warnBeforeLeaving } from '../../src/ui/unsaved.svelte';

// The page asks before it is left only while a generated key exists in memory alone.

/** A beforeunload event as the handler sees it: did it ask the browser to confirm? */
function leave(): boolean {
  const event = { defaultPrevented: false, returnValue: 'untouched', preventDefault: () => (event.defaultPrevented = true) };
  warnBeforeLeaving(event as unknown as BeforeUnloadEvent);
  expect(event.returnValue === '').toBe(event.defaultPrevented);
  return event.defaultPrevented;
}

describe('warnBeforeLeaving', () => {
  it('asks while a key is not downloaded, and not once every key is', () => {
    expect(leave()).toBe(false);
    markKeyPending('first');
    markKeyPending('second');
    expect(unsavedWork.keys).toBe(2);
    expect(leave()).toBe(true);
    markKeyDownloaded('first');
    expect(leave()).toBe(true);
    markKeyDownloaded('second');
    expect(unsavedWork.keys).toBe(0);
    expect(leave()).toBe(false);
  });
});
