import { afterAll, beforeAll } from 'vitest';

/**
 * For grid tests: jsdom lays nothing out, so give every element a height for the suite and the
 * virtualizer renders the rows in view. Restores jsdom's own getter afterwards.
 */
export function giveElementsHeight(height = 480) {
  const original = Object.getOwnPropertyDescriptor(Element.prototype, 'clientHeight');
  beforeAll(() => {
    Object.defineProperty(Element.prototype, 'clientHeight', { configurable: true, get: () => height });
  });
  afterAll(() => {
    if (original) Object.defineProperty(Element.prototype, 'clientHeight', original);
  });
}
