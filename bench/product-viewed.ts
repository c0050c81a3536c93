/** The parts of a ~1 KB `Product Viewed` track call that every benchmark sends alike. */
export const viewedProduct = {
  name: 'Set of 3 cake tins, pantry design',
  category: 'Kitchen / Baking / Tins',
  price: 4.95,
  quantity: 1,
  currency: 'GBP',
};

export const browserContext = {
  ip: '81.2.69.160',
  locale: 'en-GB',
  userAgent:
    'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0 Safari/537.36',
  library: { name: 'analytics.js', version: '2.11.1' },
};

export const productPage = {
  path: '/products/set-of-3-cake-tins-pantry-design',
  referrer: 'https://www.google.com/',
  title: 'Set of 3 cake tins, pantry design – Example Shop',
};
