// Installed into the page by both engine adapters (tests/engines/firefox.ts, webkit.ts) before they
// touch it; a no-op when already there. Plain browser JavaScript, sent as text, so that no compiler
// helper leaks into the page. It gives the adapters one way to find elements (the rules of
// tests/e2e: label, role and accessible name, test id) and records what WebDriver classic cannot
// see: page and console errors, downloads (the blob and name the app hands to an <a download>),
// and the Web Workers the page starts.
if (!window.__engines) {
  const normalize = (text) => (text || '').replace(/\s+/g, ' ').trim();
  const errors = [];
  const downloads = [];
  const workers = [];
  const blobs = new Map();

  window.addEventListener('error', (event) => errors.push(`page error: ${event.message}`));
  window.addEventListener('unhandledrejection', (event) =>
    errors.push(`unhandled rejection: ${event.reason && event.reason.message ? event.reason.message : String(event.reason)}`),
  );
  document.addEventListener('securitypolicyviolation', (event) =>
    errors.push(`CSP violation: ${event.violatedDirective} ${event.blockedURI}`),
  );
  const consoleError = console.error.bind(console);
  console.error = (...args) => {
    errors.push(`console.error: ${args.map(String).join(' ')}`);
    consoleError(...args);
  };

  // Downloads: remember each blob behind an object URL; an <a download> click on one is captured
  // (its bytes read as base64) instead of being handed to the browser.
  const createObjectURL = URL.createObjectURL.bind(URL);
  URL.createObjectURL = (object) => {
    const url = createObjectURL(object);
    if (object instanceof Blob) blobs.set(url, object);
    return url;
  };
  const anchorClick = HTMLAnchorElement.prototype.click;
  HTMLAnchorElement.prototype.click = function () {
    const blob = blobs.get(this.href);
    if (!window.__engines.captureDownloads || !this.hasAttribute('download') || !blob) return anchorClick.call(this);
    const entry = { name: this.getAttribute('download'), data: null, error: null };
    downloads.push(entry);
    const reader = new FileReader();
    reader.onload = () => (entry.data = String(reader.result).replace(/^data:[^,]*,/, ''));
    reader.onerror = () => (entry.error = String(reader.error));
    reader.readAsDataURL(blob);
  };

  // Workers: which scripts started, and whether they answered.
  const NativeWorker = window.Worker;
  if (NativeWorker) {
    window.Worker = class extends NativeWorker {
      constructor(url, options) {
        super(url, options);
        const record = { url: String(url), messages: 0, errors: 0 };
        workers.push(record);
        this.addEventListener('message', () => record.messages++);
        this.addEventListener('error', () => record.errors++);
      }
    };
  }

  const matcher = (value, exact) => {
    if (typeof value !== 'string') {
      const pattern = new RegExp(value.source, value.flags);
      return { exact: (name) => pattern.test(name), loose: () => false };
    }
    const lower = value.toLowerCase();
    return { exact: (name) => name === value, loose: (name) => !exact && name.toLowerCase().includes(lower) };
  };

  const byIds = (ids) =>
    normalize(
      ids
        .split(/\s+/)
        .map((id) => document.getElementById(id)?.textContent ?? '')
        .join(' '),
    );
  /** Every name an element answers to: aria-labelledby, aria-label, its <label>s, and for buttons, links and headings its text. */
  const names = (element, ownText) => {
    const found = [];
    const labelledBy = element.getAttribute('aria-labelledby');
    if (labelledBy) found.push(byIds(labelledBy));
    const ariaLabel = element.getAttribute('aria-label');
    if (ariaLabel) found.push(normalize(ariaLabel));
    for (const label of element.labels ?? []) found.push(normalize(label.textContent));
    if (ownText) found.push(normalize(element.textContent || element.value));
    return found;
  };

  const ROLE_SELECTORS = {
    button: 'button, [role="button"], input[type="submit"], input[type="button"]',
    link: 'a[href], [role="link"]',
    radio: 'input[type="radio"], [role="radio"]',
    checkbox: 'input[type="checkbox"], [role="checkbox"]',
    heading: 'h1, h2, h3, h4, h5, h6, [role="heading"]',
  };
  const visible = (element) => element.getClientRects().length > 0 || (element instanceof HTMLInputElement && element.type === 'file');
  const describe = (target) => `${target.by}${target.role ? ` ${target.role}` : ''} ${JSON.stringify(target.value)}`;

  /** The one element a target names; null when none; an error when several match equally well. */
  const find = (target) => {
    let root = document;
    if (target.within) {
      root = find(target.within);
      if (!root) return null;
    }
    let candidates;
    let nameOf = null;
    if (target.by === 'css') candidates = [...root.querySelectorAll(target.value)];
    else if (target.by === 'testId') candidates = [...root.querySelectorAll(`[data-testid="${CSS.escape(target.value)}"]`)];
    else if (target.by === 'label') {
      candidates = [...root.querySelectorAll('input, select, textarea, [aria-label], [aria-labelledby]')];
      nameOf = (element) => names(element, false);
    } else {
      candidates = [...root.querySelectorAll(ROLE_SELECTORS[target.role])];
      const ownText = target.role === 'button' || target.role === 'link' || target.role === 'heading';
      nameOf = (element) => names(element, ownText);
    }
    candidates = candidates.filter(visible);
    if (nameOf) {
      const match = matcher(target.value, target.exact);
      const exact = candidates.filter((element) => nameOf(element).some(match.exact));
      candidates = exact.length > 0 ? exact : candidates.filter((element) => nameOf(element).some(match.loose));
    }
    if (candidates.length > 1) throw new Error(`${candidates.length} elements match ${describe(target)}`);
    return candidates[0] ?? null;
  };

  const setValue = (element, value) => {
    const prototype =
      element instanceof HTMLTextAreaElement
        ? HTMLTextAreaElement.prototype
        : element instanceof HTMLSelectElement
          ? HTMLSelectElement.prototype
          : HTMLInputElement.prototype;
    Object.getOwnPropertyDescriptor(prototype, 'value').set.call(element, value);
    element.dispatchEvent(new Event('input', { bubbles: true }));
    element.dispatchEvent(new Event('change', { bubbles: true }));
  };

  window.__engines = {
    captureDownloads: false,
    find,
    /** Finds a target or throws, naming it. */
    get(target) {
      const element = find(target);
      if (!element) throw new Error(`Nothing on the page matches ${describe(target)}`);
      return element;
    },
    text(target) {
      const element = find(target);
      if (!element) return null;
      return element instanceof HTMLInputElement || element instanceof HTMLSelectElement || element instanceof HTMLTextAreaElement
        ? element.value
        : normalize(element.textContent);
    },
    fill(target, value) {
      const element = window.__engines.get(target);
      element.focus();
      setValue(element, value);
      element.blur();
    },
    select(target, value) {
      const element = window.__engines.get(target);
      if (![...element.options].some((option) => option.value === value)) throw new Error(`${describe(target)} has no option ${value}`);
      setValue(element, value);
    },
    /** Removes and returns the downloads captured so far (base64 data, or null while still being read). */
    takeDownloads() {
      const ready = downloads.filter((entry) => entry.data !== null || entry.error !== null);
      for (const entry of ready) downloads.splice(downloads.indexOf(entry), 1);
      return ready;
    },
    workers: () => workers.map((record) => ({ ...record })),
    /** Removes and returns the errors recorded so far. */
    takeErrors: () => errors.splice(0, errors.length),
  };
}
