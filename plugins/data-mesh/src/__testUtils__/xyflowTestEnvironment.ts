// jsdom lacks what xyflow measures with. These stand-ins follow xyflow's testing guide
// (reactflow.dev/learn/advanced-use/testing); import this file in tests that render a graph.

class ResizeObserverStub {
  constructor(private readonly callback: ResizeObserverCallback) {}
  observe(target: Element) {
    this.callback(
      [{ target } as ResizeObserverEntry],
      this as unknown as ResizeObserver,
    );
  }
  unobserve() {}
  disconnect() {}
}

class DOMMatrixReadOnlyStub {
  m22: number;
  constructor(transform?: string) {
    const scale = transform?.match(/scale\(([\d.]+)\)/)?.[1];
    this.m22 = scale !== undefined ? Number(scale) : 1;
  }
}

const globals = globalThis as Record<string, unknown>;
globals.ResizeObserver ??= ResizeObserverStub;
globals.DOMMatrixReadOnly ??= DOMMatrixReadOnlyStub;

// Sizes from inline styles, so that xyflow sees a canvas and nodes of some size.
Object.defineProperties(HTMLElement.prototype, {
  offsetHeight: {
    configurable: true,
    get(this: HTMLElement) {
      return parseFloat(this.style.height) || 1;
    },
  },
  offsetWidth: {
    configurable: true,
    get(this: HTMLElement) {
      return parseFloat(this.style.width) || 1;
    },
  },
});

(SVGElement.prototype as unknown as { getBBox(): DOMRect }).getBBox = () =>
  ({ x: 0, y: 0, width: 0, height: 0 } as DOMRect);

export {};
