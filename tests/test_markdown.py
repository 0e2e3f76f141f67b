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
