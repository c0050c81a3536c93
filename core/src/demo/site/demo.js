/* global document, uspa */
/**
 * The demo site's behaviour, shared by its pages: the consent banner, the page view, the
 * tracked clicks and forms, and the "what USPA knows" panel. Each page loads /sdk/uspa.js and
 * calls uspa.load() before this file, after uspa.consent(false) when the visitor declined.
 */

// The site's own memory of the visitor's choice (the tracker stores nothing once declined).
const OPTED_OUT = 'demo_tracking_off';
let stopSegments = () => {};

if (uspa.consent() !== 'denied') uspa.page();

showConsentBanner();
trackClicks();
trackSignup();
showVisitor();

function showConsentBanner() {
  const banner = document.querySelector('.consent');
  if (!banner || localStorage.getItem('demo_banner_seen') || localStorage.getItem(OPTED_OUT)) {
    return;
  }
  banner.hidden = false;
  banner.querySelector('[data-consent="accept"]').addEventListener('click', () => {
    localStorage.setItem('demo_banner_seen', '1');
    uspa.consent(true);
    banner.hidden = true;
  });
  banner.querySelector('[data-consent="decline"]').addEventListener('click', () => {
    localStorage.setItem(OPTED_OUT, '1');
    uspa.consent(false);
    banner.hidden = true;
    showVisitor();
  });
}

/** `<button data-track="Plan Selected" data-plan="pro">` tracks the event with its data-* fields. */
function trackClicks() {
  for (const element of document.querySelectorAll('[data-track]')) {
    element.addEventListener('click', () => {
      const { track, ...properties } = element.dataset;
      uspa.track(track, properties);
    });
  }
}

function trackSignup() {
  const form = document.querySelector('form[data-signup]');
  if (!form) return;
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const { email, name, plan } = Object.fromEntries(new FormData(form));
    // A real site identifies with its own user id; the demo uses the email address.
    uspa.identify(email, { email, name, plan });
    uspa.track('Signed Up', { plan });
    form.querySelector('.notice').textContent = `Welcome, ${name || email}!`;
    showVisitor();
  });
}

function showVisitor() {
  const panel = document.querySelector('.visitor');
  if (!panel) return;
  if (uspa.consent() === 'denied') {
    panel.replaceChildren('Tracking is off in this browser. ', resumeLink());
    return;
  }
  const { anonymousId, userId } = uspa.user();
  const segments = code('…');
  panel.replaceChildren(
    'Anonymous id ',
    code(anonymousId),
    ' · user id ',
    code(userId ?? '—'),
    ' · segments ',
    segments,
  );
  stopSegments();
  stopSegments = uspa.on('segments', (ids) => {
    segments.textContent = ids.join(', ') || 'none yet';
  });
}

function code(text) {
  const element = document.createElement('code');
  element.textContent = text;
  return element;
}

function resumeLink() {
  const link = document.createElement('a');
  link.href = '#';
  link.textContent = 'Turn it back on';
  link.addEventListener('click', (event) => {
    event.preventDefault();
    localStorage.removeItem(OPTED_OUT);
    uspa.consent(true);
    uspa.page();
    showVisitor();
  });
  return link;
}
