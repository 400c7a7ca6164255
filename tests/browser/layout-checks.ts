import { readFileSync } from 'node:fs';
import type { Locator, Page } from 'playwright-core';

/**
 * Whether the element lies wholly inside the window and is the topmost thing at its centre (not
 * hidden under a bar or a dialog).
 */
export function inViewport(locator: Locator): Promise<boolean> {
  return locator.evaluate((element) => {
    const box = element.getBoundingClientRect();
    if (box.width === 0 || box.height === 0) return false;
    if (box.top < 0 || box.left < 0 || box.bottom > innerHeight || box.right > innerWidth) return false;
    const top = document.elementFromPoint(box.left + box.width / 2, box.top + box.height / 2);
    return top !== null && (element === top || element.contains(top));
  });
}

/**
 * What sticks out sideways beyond the window: the page's own width, and each shown element whose
 * box or content passes the window's right edge (those inside a box that scrolls or clips sideways
 * on its own excepted).
 */
export function sidewaysOverflow(
  page: Page,
): Promise<{ pageWidth: number; width: number; elements: string[] }> {
  return page.evaluate(() => {
    const width = document.documentElement.clientWidth;
    const scrollsOnItsOwn = (element: Element) => {
      for (let e = element.parentElement; e && e !== document.body; e = e.parentElement) {
        const overflow = getComputedStyle(e).overflowX;
        if (overflow === 'auto' || overflow === 'scroll' || overflow === 'hidden') return true;
      }
      return false;
    };
    const elements: string[] = [];
    for (const element of Array.from(document.body.querySelectorAll('*'))) {
      const box = element.getBoundingClientRect();
      // Its box, or its content (an unbreakable word) where it shows beyond the box. A select never
      // paints its text beyond its box (Chromium 150 reports the longest option as its scrollWidth).
      const visible = getComputedStyle(element).overflowX === 'visible' && element.tagName !== 'SELECT';
      const right = Math.max(box.right, visible ? box.left + element.scrollWidth : 0);
      if (box.width === 0 || right <= width + 1 || scrollsOnItsOwn(element)) continue;
      const name = `${element.tagName.toLowerCase()}${element.className ? `.${String(element.className).split(' ').join('.')}` : ''}`;
      elements.push(`${name} right=${Math.round(right)}`);
    }
    return { pageWidth: document.documentElement.scrollWidth, width, elements };
  });
}

/** axe-core's browser build (a development dependency, MPL-2.0). */
export const axePath = 'node_modules/axe-core/axe.min.js';

/**
 * Runs axe-core on the page as it is and returns its serious and critical violations, one line each
 * (rule, impact, the first elements). The script goes in through DevTools, so the page's CSP does
 * not stop it.
 */
export async function seriousA11yProblems(page: Page): Promise<string[]> {
  if (!(await page.evaluate(() => 'axe' in window))) await page.evaluate(readFileSync(axePath, 'utf8'));
  return page.evaluate(async () => {
    const axe = (
      window as unknown as {
        axe: {
          run(
            context: Document,
            options: object,
          ): Promise<{ violations: { id: string; impact: string | null; nodes: { target: unknown[] }[] }[] }>;
        };
      }
    ).axe;
    const { violations } = await axe.run(document, { resultTypes: ['violations'] });
    return violations
      .filter((v) => v.impact === 'serious' || v.impact === 'critical')
      .map(
        (v) =>
          `${v.id} (${v.impact}): ${v.nodes
            .slice(0, 3)
            .map((n) => JSON.stringify(n.target))
            .join(', ')}`,
      );
  });
}
