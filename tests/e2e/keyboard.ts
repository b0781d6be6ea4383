import { expect, type Page } from '@playwright/test';
import { join } from 'node:path';

/** Which element should have focus, as a predicate that runs in the page. */
export type Target = { describe: string; test: string };

export const byId = (id: string): Target => ({ describe: `#${id}`, test: `el?.id === ${JSON.stringify(id)}` });
export const byButton = (text: string): Target => ({
  describe: `the "${text}" button`,
  test: `el?.tagName === 'BUTTON' && el.textContent.trim().replace(/\\s+/g, ' ') === ${JSON.stringify(text)}`,
});
export const byLink = (text: string): Target => ({
  describe: `the "${text}" link`,
  test: `el?.tagName === 'A' && el.textContent.trim() === ${JSON.stringify(text)}`,
});

/** A user with a keyboard and no mouse: every action is Tab, Shift+Tab, typing, Space, arrows or Enter. */
export function keyboardUser(page: Page, dir: string) {
  /** Presses Tab (or Shift+Tab) until the target has focus, and checks that the focus is drawn. */
  async function tabTo(target: Target, { backwards = false, max = 150 } = {}): Promise<void> {
    for (let i = 0; i < max; i++) {
      await page.keyboard.press(backwards ? 'Shift+Tab' : 'Tab');
      if (await page.evaluate(`(el => ${target.test})(document.activeElement)`)) {
        const focus = await page.evaluate(() => {
          const el = document.activeElement as HTMLElement;
          const style = getComputedStyle(el);
          return { visible: el.matches(':focus-visible'), outline: style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) > 0 };
        });
        expect(focus, `focus on ${target.describe} is visible`).toEqual({ visible: true, outline: true });
        return;
      }
    }
    throw new Error(`Tab never reached ${target.describe}`);
  }

  return {
    tabTo,
    async typeInto(target: Target, text: string) {
      await tabTo(target);
      await page.keyboard.type(text);
    },
    async press(target: Target, key = 'Enter') {
      await tabTo(target);
      await page.keyboard.press(key);
    },
    /** Presses Enter on a download button and saves the file into `dir`. */
    async download(button: string): Promise<string> {
      await tabTo(byButton(button));
      const [download] = await Promise.all([page.waitForEvent('download'), page.keyboard.press('Enter')]);
      const path = join(dir, download.suggestedFilename());
      await download.saveAs(path);
      return path;
    },
    /** Presses Enter on a file input or a button that opens one, and picks the files. */
    async chooseFiles(target: Target, files: string[]): Promise<void> {
      // Listen first: Playwright must be intercepting file choosers before the key is pressed.
      const chooser = page.waitForEvent('filechooser');
      await tabTo(target);
      await page.keyboard.press('Enter');
      await (await chooser).setFiles(files);
    },
    /** Shift+Tab back up to the navigation and opens a screen. */
    async openScreen(title: string): Promise<void> {
      await tabTo(byLink(title), { backwards: true });
      await page.keyboard.press('Enter');
      await expect(page.getByRole('heading', { level: 1, name: title })).toBeVisible();
    },
  };
}
