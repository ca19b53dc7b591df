/**
 * Generated news pages for the crawl benchmark and the fault-injection tests:
 * deterministic article pages (Arabic or English by number) with the usual
 * chrome (menu, related links, share bar, comment form, footer) around a
 * story of several paragraphs. Invented text; no real site is copied.
 */

const AR_SENTENCES = [
  'أعلنت بلدية المدينة صباح اليوم عن خطة جديدة لتوسيع شبكة النقل العام في الأحياء الشرقية',
  'وقال رئيس البلدية في مؤتمر صحفي إن المشروع سيستغرق ثلاث سنوات وسيخدم أكثر من مئتي ألف نسمة',
  'وأوضح أن التمويل سيأتي من الموازنة العامة ومن قرض ميسر تفاوضت عليه الحكومة مع بنك التنمية',
  'ورحب سكان الأحياء المعنية بالخطة، لكنهم طالبوا بجدول زمني واضح للأعمال وبتعويض أصحاب المحال المتضررة',
  'ويأتي الإعلان بعد أشهر من الشكاوى بشأن الازدحام وطول فترات الانتظار في المحطات القديمة',
  'وأشار خبراء في التخطيط الحضري إلى أن نجاح المشروع مرهون بربط الخطوط الجديدة بشبكة الحافلات القائمة',
];
const EN_SENTENCES = [
  'The city council announced on Monday a plan to extend the tram network to the eastern districts',
  'The mayor told reporters that the work would take three years and serve more than two hundred thousand residents',
  'Funding will come from the city budget and a low-interest loan negotiated with the regional development bank',
  'Residents welcomed the plan but asked for a clear timetable and compensation for shops affected by the works',
  'The announcement follows months of complaints about congestion and long waits at the old stations',
  'Urban planners said the project would only succeed if the new lines connect with the existing bus routes',
];

/** Paragraphs for article `n`: rotated sentences so pages differ, 5 to 8 paragraphs. */
function paragraphs(n, sentences) {
  const count = 5 + (n % 4);
  const out = [];
  for (let i = 0; i < count; i++) {
    const a = sentences[(n + i) % sentences.length];
    const b = sentences[(n + i * 3 + 1) % sentences.length];
    out.push(`${a} (${n}-${i}). ${b}.`);
  }
  return out;
}

const esc = (s) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;');

/** The path of article n, dated so follow rules like '/\d{4}/\d{2}/' match. */
export function articlePath(n) {
  const day = String((n % 28) + 1).padStart(2, '0');
  return `/${n % 2 ? 'en' : 'ar'}/2026/10/${day}/story-${n}.html`;
}

/**
 * The weight real news pages carry around the story (the extraction-dev pages
 * average ~146 KB): inline CSS and scripts, a mega-menu, a footer of links.
 * Built once; ~90 KB.
 */
const CHROME = (() => {
  const css = Array.from({ length: 400 }, (_, i) => `.c${i}{margin:${i % 7}px;padding:${i % 5}px;color:#${(i * 2654435761 % 0xffffff).toString(16).padStart(6, '0')}}`).join('');
  const js = Array.from({ length: 300 }, (_, i) => `window.__cfg${i}={slot:"ad-${i}",sizes:[[300,250],[728,90]],targeting:{section:"news",pos:${i}}};`).join('\n');
  const menu = Array.from({ length: 250 }, (_, i) => `<li class="menu-item menu-item-${i}"><a href="/section/${i}">Section ${i}</a></li>`).join('');
  const footer = Array.from({ length: 120 }, (_, i) => `<a class="footer-link" href="/page/${i}">Page ${i}</a>`).join(' ');
  return { head: `<style>${css}</style><script>${js}</script>`, menu: `<nav class="mega-menu"><ul>${menu}</ul></nav>`, footer: `<div class="footer-links">${footer}</div>` };
})();

/**
 * A full article page for number n, as pieces: strings unique to the page and
 * the shared chrome as prebuilt Buffers, so a server can send it without
 * re-encoding ~70 KB of identical markup per request (as a static file
 * server would). `head` is injected into <head> (e.g. a charset meta).
 */
export function articlePieces(n, { head = '<meta charset="utf-8">' } = {}) {
  const ar = n % 2 === 0;
  const lang = ar ? 'ar' : 'en';
  const title = ar ? `خطة جديدة للنقل العام رقم ${n}` : `New transport plan number ${n}`;
  const body = paragraphs(n, ar ? AR_SENTENCES : EN_SENTENCES).map((p) => `<p>${esc(p)}</p>`).join('\n');
  const related = [1, 2, 3].map((k) => `<li><a href="${articlePath(n + k)}">${ar ? 'خبر ذو صلة' : 'Related story'} ${n + k}</a></li>`).join('');
  return [
    `<!doctype html>
<html lang="${lang}" dir="${ar ? 'rtl' : 'ltr'}"><head>${head}<title>${esc(title)} | ${ar ? 'صحيفة المثال' : 'Example Daily'}</title>
<meta property="og:type" content="article"><meta property="article:published_time" content="2026-10-${String((n % 28) + 1).padStart(2, '0')}T09:00:00+03:00">`,
    CHROME_BYTES.head,
    `</head>
<body><header><nav><a href="/">${ar ? 'الرئيسية' : 'Home'}</a> <a href="/news">${ar ? 'أخبار' : 'News'}</a> <a href="/sport">${ar ? 'رياضة' : 'Sport'}</a></nav>`,
    CHROME_BYTES.menu,
    `</header>
<main><article><h1>${esc(title)}</h1><p class="byline">${ar ? 'كتب: سامر يوسف' : 'By Jane Roe'}</p>
${body}
</article>
<aside class="related"><h3>${ar ? 'اقرأ أيضا' : 'Read also'}</h3><ul>${related}</ul></aside>
<div class="share">${ar ? 'شارك' : 'Share'}: <a href="#">Facebook</a> <a href="#">X</a></div>
<section class="comments"><h3>${ar ? 'اترك تعليقاً' : 'Leave a comment'}</h3><form><input name="name"><textarea></textarea><button>${ar ? 'إرسال التعليق' : 'Post comment'}</button></form></section>
</main><footer>`,
    CHROME_BYTES.footer,
    `© ${ar ? 'صحيفة المثال' : 'Example Daily'}</footer></body></html>`,
  ];
}

const CHROME_BYTES = { head: Buffer.from(CHROME.head), menu: Buffer.from(CHROME.menu), footer: Buffer.from(CHROME.footer) };

/** A full article page for number n, as one string (see articlePieces). */
export function articleHtml(n, opts) {
  return articlePieces(n, opts).map(String).join('');
}

/** A sitemap <urlset> for articles from..to-1. */
export function sitemapXml(origin, from, to) {
  const urls = [];
  for (let n = from; n < to; n++) urls.push(`<url><loc>${origin}${articlePath(n)}</loc><lastmod>2026-10-12</lastmod></url>`);
  return `<?xml version="1.0" encoding="UTF-8"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">${urls.join('')}</urlset>`;
}
