"""Light and dark themes in Chromium: the page follows the system's setting,
and the header's switch overrides it for good (kept across a reload)."""

from tests.support.browser import expect

# The relative luminance of the page's background and text, as drawn.
LUMINANCE = """(element) => {
  const channel = (c) => (c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4);
  const luminance = (css) => {
    const [r, g, b] = css.match(/[\\d.]+/g).slice(0, 3).map((v) => channel(v / 255));
    return 0.2126 * r + 0.7152 * g + 0.0722 * b;
  };
  const style = getComputedStyle(element);
  return { background: luminance(style.backgroundColor), text: luminance(style.color) };
}"""


def looks(page, selector="body"):
    drawn = page.locator(selector).evaluate(LUMINANCE)
    if drawn["background"] < 0.05 and drawn["text"] > 0.6:
        return "dark"
    if drawn["background"] > 0.8 and drawn["text"] < 0.05:
        return "light"
    return f"neither: {drawn}"


def test_it_follows_the_system_setting(page):
    expect(page.get_by_label("Theme")).to_have_value("system")
    assert looks(page) == "light"
    assert looks(page, ".composer") == "light"

    page.emulate_media(color_scheme="dark")
    assert looks(page) == "dark"
    assert looks(page, ".composer") == "dark"
    assert looks(page, ".conversation-header") == "dark"


def test_it_keeps_the_theme_picked_with_the_switch_after_a_reload(page):
    page.emulate_media(color_scheme="light")
    page.get_by_label("Theme").select_option("dark")
    assert looks(page) == "dark"

    page.reload()
    expect(page.get_by_label("Theme")).to_have_value("dark")
    assert looks(page) == "dark"
    # A pinned theme wins over the system's: dark stays dark, light stays light.
    page.get_by_label("Theme").select_option("light")
    page.emulate_media(color_scheme="dark")
    assert looks(page) == "light"

    page.get_by_label("Theme").select_option("system")
    assert looks(page) == "dark"
    page.reload()
    expect(page.get_by_label("Theme")).to_have_value("system")
    assert looks(page) == "dark"


def test_it_applies_the_picked_theme_to_the_other_pages(page):
    page.get_by_label("Theme").select_option("dark")
    page.goto("/settings/")
    assert looks(page) == "dark"
    page.go_back()
    page.get_by_label("Theme").select_option("system")
