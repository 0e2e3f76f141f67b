from chat.markdown import render


def test_it_renders_markdown():
    assert render("**bold** and `code`") == "<p><strong>bold</strong> and <code>code</code></p>\n"


def test_it_shows_html_from_the_model_as_text():
    html = render('<script>alert("x")</script><img src=x onerror=alert(1)>')

    assert "<script" not in html and "<img" not in html
    assert "&lt;script&gt;" in html


def test_it_never_links_to_javascript():
    html = render("[click](javascript:alert(1)) and <a href='javascript:alert(2)'>x</a>")

    assert "<a" not in html


def test_it_keeps_math_as_tex_for_the_page_to_draw():
    html = render("Inline $a_1 * b_2$ and \\(x<y\\).\n\n$$\\int f$$\n\n\\[e^{i\\pi}\\]")

    assert '<span class="math">a_1 * b_2</span>' in html  # not emphasis
    assert '<span class="math">x&lt;y</span>' in html
    assert '<div class="math display">\\int f</div>' in html
    assert '<div class="math display">e^{i\\pi}</div>' in html


def test_it_keeps_the_language_of_a_code_block_and_nothing_else_in_class():
    html = render('```python\nprint(1)\n```\n\n```x"onclick=alert(1)\nx\n```')

    assert '<code class="language-python">' in html
    assert html.count('class="') == 1


def test_it_links_bare_urls_to_open_in_a_new_tab():
    html = render("See https://example.com/docs for more.")

    assert 'href="https://example.com/docs"' in html
    assert 'target="_blank"' in html and 'rel="noopener noreferrer nofollow"' in html
