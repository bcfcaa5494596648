"""The language of every part of a page, and 长者模式, in Debian's chromium.

Whatever the interface language, the catalogue's Chinese content sits in an element whose language is
Chinese. 长者模式 gives larger text, wider spacing and stronger contrast on every public page at 375 px
and at 1920 px without sideways scrolling, and every text colour (the statistics' chart labels included)
reaches 4.5:1 against what is behind it, in both modes.
"""

import json

import pytest
from django.conf import settings
from django.urls import reverse

from catalogue.preferences import MODE_COOKIE
from catalogue.services import open_revision, publish_edition, publish_evaluation
from tests import contract_builders as cb
from tests import factories as f

# Every text node holding a Chinese character, whose nearest element with a language is not Chinese.
UNMARKED_CHINESE = """() => {
  const cjk = /[\\u4e00-\\u9fff]/;
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  const wrong = [];
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    if (!cjk.test(node.nodeValue)) continue;
    const owner = node.parentElement;
    if (owner.closest('script, style, template')) continue;
    const marked = owner.closest('[lang]');
    const lang = marked ? marked.getAttribute('lang').toLowerCase() : '';
    if (!lang.startsWith('zh')) wrong.push(owner.tagName + '.' + owner.className + ': ' + node.nodeValue.trim().slice(0, 40));
  }
  return wrong;
}"""

# WCAG 2.x contrast of every visible element's own text against the background it sits on.
LOW_CONTRAST = """() => {
  const parse = (c) => { const m = c.match(/rgba?\\(([^)]+)\\)/); if (!m) return null;
    const p = m[1].split(/[ ,\\/]+/).filter(Boolean).map(Number); return [p[0], p[1], p[2], p.length > 3 ? p[3] : 1]; };
  const over = (top, under) => [0, 1, 2].map(i => top[i] * top[3] + under[i] * (1 - top[3])).concat([1]);
  const lum = (c) => { const v = c.slice(0, 3).map(x => { x /= 255; return x <= 0.03928 ? x / 12.92 : Math.pow((x + 0.055) / 1.055, 2.4); });
    return 0.2126 * v[0] + 0.7152 * v[1] + 0.0722 * v[2]; };
  const background = (el) => {
    const layers = [];
    for (let e = el; e; e = e.parentElement) {
      const bg = parse(getComputedStyle(e).backgroundColor);
      if (bg && bg[3] > 0) { layers.push(bg); if (bg[3] >= 1) break; }
    }
    let colour = [255, 255, 255, 1];
    for (let i = layers.length - 1; i >= 0; i--) colour = over(layers[i], colour);
    return colour;
  };
  const opacity = (el) => { let o = 1; for (let e = el; e; e = e.parentElement) o *= Number(getComputedStyle(e).opacity); return o; };
  const low = [];
  for (const el of document.body.querySelectorAll('*')) {
    const own = Array.from(el.childNodes).some(n => n.nodeType === 3 && n.nodeValue.trim());
    if (!own) continue;
    const style = getComputedStyle(el);
    if (style.visibility !== 'visible' || style.display === 'none') continue;
    const rect = el.getBoundingClientRect();
    if (rect.width <= 1 || rect.height <= 1 || rect.right <= 0 || rect.bottom <= 0 && rect.top < -1000) continue;
    if (el.closest('details:not([open]) > :not(summary)')) continue;
    const isSvg = el instanceof SVGElement;
    const fg = parse(isSvg ? style.fill : style.color);
    if (!fg) continue;
    const bg = background(isSvg ? el.closest('svg') : el);
    const text = over([fg[0], fg[1], fg[2], fg[3] * opacity(el)], bg);
    const [a, b] = [lum(text), lum(bg)].sort((x, y) => y - x);
    const ratio = (a + 0.05) / (b + 0.05);
    if (ratio < 4.5) low.push(`${el.tagName}.${el.getAttribute('class') || ''} ${ratio.toFixed(2)} ${isSvg ? style.fill : style.color} on rgb(${bg.slice(0, 3).join(',')}): ${el.textContent.trim().slice(0, 30)}`);
  }
  return low;
}"""

SIDEWAYS = "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"
# The outermost elements that stick out on the right, to say what scrolls.
STICKING_OUT = """() => {
  const limit = document.documentElement.clientWidth;
  const out = [];
  for (const el of document.body.querySelectorAll('*')) {
    if (el.getBoundingClientRect().right > limit + 0.5 && !(el.parentElement && el.parentElement.getBoundingClientRect().right > limit + 0.5))
      out.push(el.tagName + '.' + (el.getAttribute('class') || '') + ' ' + Math.round(el.getBoundingClientRect().right));
  }
  return out;
}"""
BODY_FONT_PX = "() => parseFloat(getComputedStyle(document.body).fontSize)"


@pytest.fixture
def record(transactional_db):
    """An edition corrected once, with bodies, budgets and requirements; a qualified provider with a published
    evaluation, so the results page and the statistics' charts have something to show."""
    municipal = f.municipal()
    item = cb.published_item("xianning", 2017, provider_requirements="依法登记的养老服务类社会组织。", is_pilot=True)
    f.item(item.edition, "A0101", "咸宁市教育事业统计数据采集与分析", bodies=[f.purchasing_body("咸宁市教育局")])
    revision = open_revision(item.edition, by=municipal)
    corrected = publish_edition(revision, by=municipal, document_number="咸财综发〔2017〕30号", published_on=item.edition.published_on)
    f.item(f.edition("chibi", 2017), "C0202", "农村特困供养机构托管", bodies=[f.purchasing_body("赤壁市民政局", "chibi")])
    provider = f.provider("咸宁市阳光社会工作服务中心")
    contract = cb.saved_contract(corrected.items.get(code=item.code), provider, municipal)
    publish_evaluation(cb.recorded_evaluation(contract, municipal, 90, 92, 88), by=municipal)
    return {"edition": corrected, "item": corrected.items.get(code=item.code), "provider": provider, "earlier": item.edition}


def public_pages(record):
    edition, item = record["edition"], record["item"]
    return [
        reverse("catalogue:home"),
        edition.get_absolute_url(),
        edition.get_absolute_url() + "?pilot=on",
        record["earlier"].get_absolute_url(),
        item.get_absolute_url(),
        reverse("catalogue:search") + "?q=养老",
        reverse("catalogue:providers"),
        reverse("catalogue:provider", args=[record["provider"].pk]),
        reverse("catalogue:evaluations"),
        reverse("catalogue:statistics"),
        reverse("catalogue:compare", args=[edition.pk]),
        reverse("catalogue:site_map"),
    ]


def test_in_english_every_chinese_text_sits_in_an_element_marked_chinese(page, record):
    page.context.add_cookies([{"name": settings.LANGUAGE_COOKIE_NAME, "value": "en", "url": page.base_url}])
    unmarked = {}
    for path in public_pages(record):
        page.goto(page.base_url + path)
        assert page.evaluate("document.documentElement.lang") == "en", path
        unmarked[path] = page.evaluate(UNMARKED_CHINESE)
    unmarked = {path: texts for path, texts in unmarked.items() if texts}
    if unmarked:
        print(json.dumps(unmarked, ensure_ascii=False, indent=1))
    assert unmarked == {}


def test_in_chinese_the_page_itself_is_chinese(page, record):
    page.goto(page.base_url + record["edition"].get_absolute_url())
    assert page.evaluate("document.documentElement.lang") == "zh-hans"
    assert page.evaluate(UNMARKED_CHINESE) == []


def _open(browser, live_server, width, mode):
    height = 812 if width < 600 else 1080
    context = browser.new_context(viewport={"width": width, "height": height}, locale="zh-CN", device_scale_factor=1)
    if mode == "elder":
        context.add_cookies([{"name": MODE_COOKIE, "value": "elder", "url": live_server.url}])
    return context, context.new_page()


@pytest.mark.parametrize("width", [375, 1920])
@pytest.mark.parametrize("mode", ["standard", "elder"])
def test_every_public_page_fits_and_every_text_colour_reaches_4_5_to_1(browser, live_server, record, width, mode):
    context, page = _open(browser, live_server, width, mode)
    try:
        for path in public_pages(record):
            page.goto(live_server.url + path)
            assert page.evaluate("document.documentElement.className") == f"mode-{mode}", path
            assert page.evaluate(SIDEWAYS) <= 0, f"{path} scrolls sideways at {width} px in {mode}: {page.evaluate(STICKING_OUT)}"
            if mode == "elder":
                assert page.evaluate(BODY_FONT_PX) >= 18, path
            assert page.evaluate(LOW_CONTRAST) == [], f"{path} at {width} px in {mode}"
    finally:
        context.close()


def test_the_switch_works_without_javascript_and_back(browser, live_server, record):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, java_script_enabled=False, locale="zh-CN")
    page = context.new_page()
    try:
        url = live_server.url + record["edition"].get_absolute_url()
        page.goto(url)
        page.get_by_role("link", name="长者模式").click()
        assert page.url == url
        assert page.locator("html.mode-elder").count() == 1
        page.get_by_role("link", name="退出长者模式").click()
        assert page.url == url and page.locator("html.mode-standard").count() == 1
    finally:
        context.close()


@pytest.mark.parametrize("width", [375, 1920])
def test_screenshots_of_an_edition_in_elder_mode(browser, live_server, record, shots_dir, width):
    context, page = _open(browser, live_server, width, "elder")
    try:
        page.goto(live_server.url + record["edition"].get_absolute_url())
        page.screenshot(path=f"{shots_dir}/edition-elder-{width}.png", full_page=True)
        page.screenshot(path=f"{shots_dir}/edition-elder-{width}-first-screen.png")
        page.locator(".item-row").first.scroll_into_view_if_needed()
        page.screenshot(path=f"{shots_dir}/edition-elder-{width}-table.png")
        print_size = page.evaluate("() => { const s = getComputedStyle(document.body); return s.fontSize; }")
        page.emulate_media(media="print")
        # The print view is the standard one: the mode's rules are for the screen only.
        assert page.evaluate("() => getComputedStyle(document.documentElement).fontSize") == "16px"
        assert print_size != "16px"
    finally:
        context.close()
